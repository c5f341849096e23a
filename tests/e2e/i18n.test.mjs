// The Chinese UI and input methods, in headless Chromium against `wirecheck serve`:
// - 简体中文 translates the verdicts' summaries and advice and the layer table, not only labels
// - text composed by an input method (CDP's IME emulation: composition, then commit) lands in an
//   ImGui field, and plain typing still works through the same bridge
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { playgroundFixture, openApp, screenshot, clickWidget, frames } from './harness.mjs';

const fixture = playgroundFixture();

test('简体中文: verdicts, advice and the layer table are in Chinese', async () => {
  const app = await openApp(fixture.browser, fixture.server.url);
  const { page } = app;
  await clickWidget(app, 'menu.view');
  await frames(page, 3);
  await clickWidget(app, 'menu.view.zh');
  await frames(page, 3);
  assert.equal((await app.state()).lang, 'zh');
  await screenshot(page, 'playground-zh');
  await clickWidget(app, 'menu.export');
  await frames(page, 3);
  await clickWidget(app, 'menu.export.markdown');
  await frames(page, 3);
  const md = await page.evaluate(() => window.wirecheckLastCopy || '');
  assert.match(md, /Codex CLI 无法直接使用此端点/);
  assert.match(md, /将 max_tokens 设为 >= 1024/);
  assert.doesNotMatch(md, /can use this endpoint/);
  assert.deepEqual(app.errors, []);
  await app.context.close();
});

test('IME: composed Chinese text lands in the model field; typing still works', async () => {
  const app = await openApp(fixture.browser, fixture.server.url);
  const { page } = app;
  await clickWidget(app, 'connection.real');
  await frames(page, 3);
  await clickWidget(app, 'connection.model');
  await frames(page, 3);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await frames(page, 3);
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'wc-ime',
    'the input method textarea has the focus while an ImGui field is active');
  const cdp = await app.context.newCDPSession(page);
  await cdp.send('Input.imeSetComposition', { text: 'ni', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.imeSetComposition', { text: 'nihao', selectionStart: 5, selectionEnd: 5 });
  await frames(page, 3);
  assert.equal((await app.state()).connection.model, '', 'nothing is committed while composing');
  await cdp.send('Input.insertText', { text: '深度求索' });
  await frames(page, 3);
  await page.keyboard.type('-v4');
  await frames(page, 3);
  assert.equal((await app.state()).connection.model, '深度求索-v4');
  await screenshot(page, 'playground-ime');
  assert.deepEqual(app.errors, []);
  await app.context.close();
});
