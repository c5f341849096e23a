// Smoke test of the playground in a real browser: it starts, fetches its assets through the fetch
// bridge, renders sharp at 1x and 2x pixel density, and reacts to clicks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { playgroundFixture, openApp, screenshot, clickWidget } from './harness.mjs';

const fixture = playgroundFixture({
  stopped: (code, server) =>
    assert.equal(code, 0, `serve should exit 0 on Ctrl-C, got ${code}\n${server?.output()}`),
});

test('first frame: app state, assets fetched through the bridge, no console errors', async () => {
  const app = await openApp(fixture.browser, fixture.server.url);
  const s = await app.state();
  assert.equal(s.app, 'wirecheck');
  assert.match(s.version, /^\d+\.\d+\.\d+$/);
  assert.ok(s.frame > 0);
  for (const path of ['assets/layers.json', 'assets/fonts/ui.otf', 'assets/fonts/mono.ttf']) {
    assert.equal(s.assets[path]?.status, 200, `${path}: ${JSON.stringify(s.assets[path])}`);
    assert.ok(s.assets[path].bytes > 100, `${path} has a body`);
  }
  assert.equal(s.layers, 3, 'the three protocol layers came from assets/layers.json');
  for (const w of ['menu.brand', 'menu.view', 'menu.help', 'main.title', 'overview.layers']) {
    assert.ok(s.widgets[w]?.w > 0 && s.widgets[w]?.h > 0, `widget ${w} has a rectangle`);
  }
  const file = await screenshot(app.page, 'smoke-1280x800');
  console.log(`screenshot: ${file}`);
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('hi-DPI: canvas backing store follows devicePixelRatio', async () => {
  const app = await openApp(fixture.browser, fixture.server.url, { width: 1280, height: 800, dpr: 2 });
  const s = await app.state();
  assert.equal(s.dpr, 2);
  const canvas = await app.page.evaluate(() => {
    const c = document.getElementById('canvas');
    return { w: c.width, h: c.height, cssW: c.clientWidth, cssH: c.clientHeight };
  });
  assert.equal(canvas.w, canvas.cssW * 2);
  assert.equal(canvas.h, canvas.cssH * 2);
  // Rectangles are reported in CSS pixels whatever the density.
  assert.ok(s.widgets['menu.help'].y < 40, `menu bar at the top: ${JSON.stringify(s.widgets['menu.help'])}`);
  await screenshot(app.page, 'smoke-1280x800@2x');
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('resize: the canvas follows the window', async () => {
  const app = await openApp(fixture.browser, fixture.server.url, { width: 1280, height: 800 });
  await app.page.setViewportSize({ width: 900, height: 600 });
  await app.page.waitForFunction(() => document.getElementById('canvas').width === 900);
  const h = await app.page.evaluate(() => document.getElementById('canvas').height);
  assert.equal(h, 600);
  await app.context.close();
});

test('clicking Help > About opens the About window', async () => {
  const app = await openApp(fixture.browser, fixture.server.url);
  await clickWidget(app, 'menu.help');
  await clickWidget(app, 'menu.help.about');
  const s = await app.state();
  assert.equal(s.show_about, true);
  await screenshot(app.page, 'smoke-about');
  await app.context.close();
});
