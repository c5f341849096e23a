// Shared set-up for the browser tests: start `wirecheck serve` on a free loopback port, launch
// Debian's chromium through playwright-core, collect console errors, save screenshots.
import { spawn } from 'node:child_process';
import { mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const paths = {
  repo,
  cli: process.env.WIRECHECK_BIN || join(repo, 'build/native/cli/wirecheck'),
  webRoot: process.env.WIRECHECK_WEB_ROOT || join(repo, 'build/wasm/web/site'),
  screenshots: process.env.WIRECHECK_SCREENSHOTS || join(repo, 'build/e2e/screenshots'),
};

// Flags verified for headless chromium on this kind of machine (TOOLCHAIN.md): no network
// chatter, WebGL2 through SwiftShader.
export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

// `webRoot`: the site to serve (a folder without index.html makes an adapter-only server).
export async function startServer(extraArgs = [], { webRoot = paths.webRoot } = {}) {
  const needed = webRoot === paths.webRoot ? [paths.cli, join(webRoot, 'index.html')] : [paths.cli];
  for (const p of needed) {
    if (!existsSync(p)) throw new Error(`${p} is missing: build first (./run test does)`);
  }
  const child = spawn(paths.cli, ['serve', '--port', '0', '--web-root', webRoot, ...extraArgs],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 10 s: ${output}`)), 10000);
    const onData = (d) => {
      output += d;
      const m = output.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) { clearTimeout(timer); resolveUrl(m[0]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited ${code}: ${output}`)); });
  });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise((r) => child.on('exit', (code, signal) => r(code ?? signal)));
      child.kill('SIGINT');
      return exited;
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs, timeout: 30000 });
}

// One `wirecheck serve` (the playground) and one browser for a whole test file, started and stopped
// by node:test hooks. `fixture.server` and `fixture.browser` are set once the first test runs;
// `stopped(code)` sees serve's exit code.
export function playgroundFixture({ stopped } = {}) {
  const fixture = { server: null, browser: null };
  before(async () => {
    fixture.server = await startServer();
    fixture.browser = await launchBrowser();
  });
  after(async () => {
    await fixture.browser?.close();
    const code = await fixture.server?.stop();
    stopped?.(code, fixture.server);
  });
  return fixture;
}

// Opens the page and waits until the app has drawn frames and its start-up fetches finished.
export async function openApp(browser, url, { width = 1280, height = 800, dpr = 1 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: dpr });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => {
    if (!window.wirecheck || !window.wirecheck.ready()) return false;
    const s = window.wirecheck.state();
    return s.fonts_loaded && Object.values(s.assets).every((a) => a.done);
  }, null, { timeout: 30000 });
  // Two more frames so what the screenshot shows matches the state we read.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return { page, context, errors, state: () => page.evaluate(() => window.wirecheck.state()) };
}

// Resolves after `n` animation frames: what the app drew reflects the input sent before.
export const frames = (page, n = 2) => page.evaluate((n) => new Promise((r) => {
  (function next(i) { if (i === 0) r(); else requestAnimationFrame(() => next(i - 1)); })(n);
}), n);

export async function screenshot(page, name) {
  mkdirSync(paths.screenshots, { recursive: true });
  const file = join(paths.screenshots, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

// Clicks the centre of a widget rectangle reported by the test hook.
export async function clickWidget(app, name) {
  const s = await app.state();
  const r = s.widgets[name];
  if (!r) throw new Error(`widget ${name} not on screen; have: ${Object.keys(s.widgets).join(', ')}`);
  await app.page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);
  await app.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}
