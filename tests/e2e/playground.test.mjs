// The playground in Debian's chromium against `wirecheck serve` on loopback: the first visit shows
// the field-report verdicts; runs over real fetch (streaming) against the simulated endpoints,
// driven through the UI and through window.wirecheck.run; a CORS refusal shown as such; the
// translation explorer; embed mode; and the key absent from the URL, storage, the hook and every
// export. Screenshots land in build/e2e/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { paths, playgroundFixture, openApp, screenshot, clickWidget, frames } from './harness.mjs';

const KEY = 'sk-browser-SECRET-8675309';
const fixture = playgroundFixture();

async function typeInto(app, widget, text) {
  await clickWidget(app, widget);
  await app.page.keyboard.press('Control+A');
  await app.page.keyboard.type(text);
  await frames(app.page);
}

async function waitForRun(app) {
  await app.page.waitForFunction(() => {
    const s = window.wirecheck.state();
    return s.run && !s.run.running;
  }, null, { timeout: 60000 });
  return app.state();
}

test('first visit: the field-report verdicts and layers, offline, with no key', async () => {
  const app = await openApp(fixture.browser, fixture.server.url);
  const s = await app.state();
  assert.deepEqual(s.verdicts, {
    codex: 'verdict.ready_via_adapter', 'claude-code': 'verdict.ready', chat: 'verdict.ready',
  });
  assert.deepEqual(s.measured_layers.map((l) => l.level),
    ['verdict.ready', 'verdict.not_ready', 'verdict.ready']);
  assert.equal(s.run.done, 14);
  for (const w of ['verdict.codex', 'verdict.claude-code', 'verdict.chat', 'overview.layers']) {
    const r = s.widgets[w];
    assert.ok(r && r.w > 0 && r.y + 10 < 800, `${w} is visible without scrolling: ${JSON.stringify(r)}`);
  }
  await screenshot(app.page, 'playground-first-visit');
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('a run typed into the UI: /sim/anthropic-native through the relay, streaming', async () => {
  const app = await openApp(fixture.browser, fixture.server.url);
  const urls = [];
  const targets = [];
  app.page.on('request', (r) => { urls.push(r.url()); targets.push(r.headers()['x-wirecheck-target'] || r.url()); });
  await clickWidget(app, 'connection.real');
  await typeInto(app, 'connection.base_url', `${fixture.server.url}sim/anthropic-native`);
  await typeInto(app, 'connection.api_key', KEY);
  await typeInto(app, 'connection.model', 'claude-sim');
  await clickWidget(app, 'run.all');
  const s = await waitForRun(app);
  assert.equal(s.run.steps['messages.stream'], 'passed', JSON.stringify(s.run.steps));
  assert.equal(s.run.steps['messages.tools'], 'passed');
  assert.equal(s.verdicts['claude-code'], 'verdict.ready');
  assert.equal(s.verdicts.codex, 'verdict.not_ready');
  assert.ok(targets.some((u) => u.endsWith('/sim/anthropic-native/v1/messages')), targets.join('\n'));
  assert.ok(urls.some((u) => u.endsWith('/relay')), 'the relay carried the requests');
  assert.ok(!urls.some((u) => u.includes(KEY)), 'the key never goes into a URL');
  assert.equal(s.connection.key_set, true);
  assert.ok(!JSON.stringify(s).includes(KEY), 'the hook never shows the key');
  await screenshot(app.page, 'playground-anthropic-native');
  await app.context.close();
});

test('window.wirecheck.run: /sim/openai-native over direct fetch, streams decoded live', async () => {
  const app = await openApp(fixture.browser, fixture.server.url);
  const report = await app.page.evaluate((cfg) => window.wirecheck.run(cfg), {
    base_url: `${fixture.server.url}sim/openai-native/v1`, model: 'gpt-5.5', api_key: KEY, relay: false,
  });
  const steps = Object.fromEntries(report.steps.map((s) => [s.id, s]));
  for (const id of ['chat.stream', 'responses.stream']) {
    assert.equal(steps[id].status, 'passed', id);
    assert.ok(steps[id].exchanges[0].events.length > 3, `${id} arrived as events`);
  }
  const verdicts = Object.fromEntries(report.verdicts.map((v) => [v.client, v.level]));
  assert.equal(verdicts.codex, 'verdict.ready');
  assert.ok(!JSON.stringify(report).includes(KEY), 'the report never holds the key');
  await app.context.close();
});

test('an endpoint without CORS headers: a CORS finding direct, a pass through the relay', async () => {
  const app = await openApp(fixture.browser, fixture.server.url);
  assert.equal((await app.state()).connection.relay_available, true, 'serve gave the page a relay');
  // The page's own origin allows itself: reach the server under another loopback name.
  const other = fixture.server.url.replace('127.0.0.1', 'localhost');
  const config = { base_url: `${other}sim/cors-blocked/v1`, model: 'm', api_key: KEY, steps: ['chat.basic'] };
  const direct = await app.page.evaluate((cfg) => window.wirecheck.run(cfg), { ...config, relay: false });
  const finding = direct.findings.find((f) => f.step === 'chat.basic');
  assert.equal(finding?.code, 'net.cors_blocked', JSON.stringify(direct.findings));
  assert.match(finding.message, /CORS/);
  assert.match(finding.message, /wirecheck serve/);
  await frames(app.page, 3);
  await screenshot(app.page, 'playground-cors');

  const relayed = await app.page.evaluate((cfg) => window.wirecheck.run(cfg), config);
  assert.equal(relayed.steps[0].status, 'passed', JSON.stringify(relayed.findings));
  assert.equal((await app.state()).connection.relayed, true);
  await app.context.close();
});

test('the translation explorer: Chat -> Responses -> Chat through the JS API and the tab', async () => {
  const app = await openApp(fixture.browser, fixture.server.url);
  const chat = JSON.stringify({ model: 'm', max_tokens: 50, messages: [{ role: 'user', content: 'Hi 你好' }] });
  const there = await app.page.evaluate((t) => window.wirecheck.translate('chat', 'responses', 'request', t), chat);
  assert.equal(there.ok, true, JSON.stringify(there));
  assert.equal(JSON.parse(there.output).max_output_tokens, 50);
  const back = await app.page.evaluate((t) => window.wirecheck.translate('responses', 'chat', 'request', t), there.output);
  assert.equal(back.ok, true);
  assert.equal(JSON.parse(back.output).messages[0].content, 'Hi 你好');
  const bad = await app.page.evaluate(() => window.wirecheck.translate('chat', 'messages', 'request', '{"model":'));
  assert.equal(bad.ok, false);
  assert.match(bad.error.code, /^json\./);
  await clickWidget(app, 'tab.translate');
  await frames(app.page, 3);
  assert.equal((await app.state()).tab, 'translate');
  await screenshot(app.page, 'playground-translate');
  await app.context.close();
});

test('embed mode: one compact panel, the scenario from the hash; the example page drives the API', async () => {
  const app = await openApp(fixture.browser, `${fixture.server.url}#embed&scenario=chat-only-gateway&panel=overview`,
    { width: 900, height: 420 });
  const s = await app.state();
  assert.equal(s.embed, true);
  assert.equal(s.connection.scenario, 'chat-only-gateway');
  assert.equal(s.verdicts.codex, 'verdict.ready_via_adapter');
  assert.ok(!s.widgets['menu.brand'], 'no menu bar in embed mode');
  await screenshot(app.page, 'playground-embed');
  await app.context.close();

  const context = await fixture.browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${fixture.server.url}embed-example.html`);
  await page.waitForFunction(() => {
    const w = document.getElementById('embed').contentWindow.wirecheck;
    return w && w.ready() && w.state().run && !w.state().run.running;
  }, null, { timeout: 30000 });
  await page.click('#run');
  await page.waitForFunction(() => document.getElementById('out').textContent.includes('codex'), null, { timeout: 30000 });
  assert.match(await page.textContent('#out'), /codex: verdict\.ready_via_adapter/);
  await page.click('#translate');
  assert.match(await page.textContent('#out'), /"input"/);
  await page.screenshot({ path: join(paths.screenshots, 'embed-example.png') });
  await context.close();
});

test('the key is in no URL, storage, hook or export unless remembering is ticked', async () => {
  const app = await openApp(fixture.browser, fixture.server.url);
  const { page } = app;
  await clickWidget(app, 'connection.real');
  await typeInto(app, 'connection.base_url', `${fixture.server.url}sim/fieldreport-deepseek-v4-pro/v1`);
  await typeInto(app, 'connection.api_key', KEY);
  await typeInto(app, 'connection.model', 'deepseek-v4-pro');
  await clickWidget(app, 'run.all');
  await waitForRun(app);

  const exported = [];
  for (const item of ['menu.export.markdown', 'menu.export.share']) {
    await clickWidget(app, 'menu.export');
    await frames(page);
    await clickWidget(app, item);
    await frames(page);
    exported.push(await page.evaluate(() => window.wirecheckLastCopy || ''));
  }
  assert.match(exported[0], /^# wirecheck probe report/);
  assert.match(exported[1], /#base=http/);
  await clickWidget(app, 'menu.export');
  await frames(page);
  const [download] = await Promise.all([page.waitForEvent('download'), clickWidget(app, 'menu.export.json')]);
  const json = await download.createReadStream().then((s) => new Promise((r) => {
    let t = ''; s.on('data', (d) => { t += d; }); s.on('end', () => r(t));
  }));
  assert.match(json, /wirecheck\.probe-report/);

  const storage = await page.evaluate(() => JSON.stringify(localStorage));
  const everything = [page.url(), storage, JSON.stringify(await app.state()), ...exported, json];
  for (const text of everything) assert.ok(!text.includes(KEY), `the key leaked: ${text.slice(0, 200)}`);

  // Opting in stores it; untick removes it again.
  await clickWidget(app, 'connection.remember_key');
  await frames(page);
  assert.equal(await page.evaluate(() => localStorage.getItem('wirecheck.api_key')), KEY);
  await clickWidget(app, 'connection.remember_key');
  await frames(page);
  assert.equal(await page.evaluate(() => localStorage.getItem('wirecheck.api_key')), null);
  await app.context.close();
});
