// Where the API key goes when the page runs a probe: every request the page makes is recorded, and
// the key may only travel in an Authorization / x-api-key header to the configured base URL (direct
// fetch) or to this server's /relay (whose target header must be that base URL). Never in a URL,
// a request body, a cookie, sessionStorage, a console message, or the copy-as-curl text.
// (playground.test.mjs covers localStorage, the hook, the exports and "remember".)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { playgroundFixture, openApp, clickWidget, frames } from './harness.mjs';

const KEY = 'sk-e2e-secrets-SECRET-24680';
const fixture = playgroundFixture();

// Every request and console line of the page, from now on.
function record(page) {
  const requests = [];
  const console = [];
  page.on('request', (r) => requests.push({ url: r.url(), headers: r.headers(), body: r.postData() || '' }));
  page.on('console', (m) => console.push(m.text()));
  page.on('pageerror', (e) => console.push(String(e)));
  return { requests, console };
}

// The requests that carry the key, checked: only in an auth header, never in URL or body.
function keyCarriers(requests) {
  const carriers = requests.filter((r) => JSON.stringify(r).includes(KEY));
  for (const r of carriers) {
    assert.ok(!r.url.includes(KEY), `the key is in a URL: ${r.url}`);
    assert.ok(!r.body.includes(KEY), `the key is in the body sent to ${r.url}`);
    const holders = Object.entries(r.headers).filter(([, v]) => v.includes(KEY)).map(([k]) => k);
    assert.ok(holders.every((h) => h === 'authorization' || h === 'x-api-key'),
      `the key is in header(s) ${holders.join(', ')} of ${r.url}`);
  }
  return carriers;
}

async function expectNoKeyInThePage(page, consoleLines) {
  const kept = await page.evaluate(() => JSON.stringify({
    url: location.href, session: { ...sessionStorage }, local: { ...localStorage }, cookie: document.cookie,
  }));
  assert.ok(!kept.includes(KEY), `the key is kept by the page: ${kept.slice(0, 300)}`);
  for (const line of consoleLines) assert.ok(!line.includes(KEY), `the key is in the console: ${line}`);
}

test('direct fetch: the key goes only to the configured base URL', async () => {
  const app = await openApp(fixture.browser, fixture.server.url);
  const seen = record(app.page);
  const base = `${fixture.server.url}sim/openai-native/v1`;
  const report = await app.page.evaluate((cfg) => window.wirecheck.run(cfg), {
    base_url: base, model: 'gpt-5.5', api_key: KEY, relay: false,
  });
  assert.ok(report.steps.length > 5);
  const carriers = keyCarriers(seen.requests);
  assert.ok(carriers.length > 5, `${carriers.length} requests carried the key`);
  for (const r of carriers) assert.ok(r.url.startsWith(`${base}/`), `the key went to ${r.url}`);
  await expectNoKeyInThePage(app.page, seen.console);
  await app.context.close();
});

test('through the relay: the key goes only to /relay, for the configured base URL; curl uses $WIRECHECK_API_KEY', async () => {
  const app = await openApp(fixture.browser, fixture.server.url);
  const seen = record(app.page);
  const base = `${fixture.server.url}sim/anthropic-native`;
  await clickWidget(app, 'connection.real');
  for (const [widget, text] of [['connection.base_url', base], ['connection.api_key', KEY],
    ['connection.model', 'claude-sim']]) {
    await clickWidget(app, widget);
    await app.page.keyboard.press('Control+A');
    await app.page.keyboard.type(text);
    await frames(app.page);
  }
  await clickWidget(app, 'run.all');
  await app.page.waitForFunction(() => {
    const s = window.wirecheck.state();
    return s.run && !s.run.running;
  }, null, { timeout: 60000 });

  const carriers = keyCarriers(seen.requests);
  assert.ok(carriers.length > 3, `${carriers.length} requests carried the key`);
  for (const r of carriers) {
    assert.equal(r.url, `${fixture.server.url}relay`, `the key went to ${r.url}`);
    assert.ok(r.headers['x-wirecheck-target'].startsWith(`${base}/`), r.headers['x-wirecheck-target']);
  }

  // Copy as curl (the evidence of the selected step): the placeholder, not the key.
  for (let i = 0; i < 5 && !(await app.state()).widgets['evidence.copy_curl']; i++) {
    await app.page.mouse.move(0, 0);
    await clickWidget(app, 'tab.evidence');
    await frames(app.page, 4);
  }
  await clickWidget(app, 'evidence.copy_curl');
  await frames(app.page);
  const curl = await app.page.evaluate(() => window.wirecheckLastCopy || '');
  assert.match(curl, /^curl /);
  assert.ok(curl.includes('$WIRECHECK_API_KEY'), curl);
  assert.ok(!curl.includes(KEY), curl);

  await expectNoKeyInThePage(app.page, seen.console);
  await app.context.close();
});
