// Playground timings in headless Chromium against `wirecheck serve` (reported, never asserted:
// this machine's load makes times noisy; README quotes the figures with this command):
//   node tests/e2e/web_perf.mjs          (after ./run test or a wasm + native build)
// - first frame: navigation start -> the app's first drawn frame (performance marks the page sets:
//   wirecheck:main, :gl-ready, :started, :first-frame; the phases are reported too)
// - simulated suite: window.wirecheck.run({scenario}) -> every step finished (median of 5)
// - a 1 MB response open in Evidence (raw view, scrolling): the app's own work per frame (what
//   60 fps needs: <= 16.7 ms) and the frame rate, next to the Overview's for comparison (headless
//   Chromium draws with SwiftShader on the CPU, so its frame rate follows the machine's load)
// Raw results: build/e2e/web-perf.json.
import { createServer } from 'node:http';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { paths, startServer, launchBrowser, openApp, clickWidget } from './harness.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const server = await startServer();
const browser = await launchBrowser();
const results = {};
try {
  // First frame, five fresh page loads.
  const firsts = [];
  for (let i = 0; i < 5; ++i) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => window.wirecheck && window.wirecheck.ready(), null, { timeout: 30000 });
    firsts.push(await page.evaluate(() => {
      const mark = (name) => performance.getEntriesByName(`wirecheck:${name}`)[0].startTime;
      const wasm = performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'));
      return { first_frame: mark('first-frame'), wasm_loaded: wasm ? wasm.responseEnd : 0, main: mark('main'),
        gl_ready: mark('gl-ready'), started: mark('started') };
    }));
    await context.close();
  }
  const phase = (key) => median(firsts.map((f) => f[key]));
  results.first_frame_ms = phase('first_frame');
  results.first_frame_phases_ms = { wasm_loaded: phase('wasm_loaded'), main: phase('main'),
    gl_ready: phase('gl_ready'), started: phase('started'), first_frame: phase('first_frame') };

  const app = await openApp(browser, server.url);
  const suite = [];
  for (let i = 0; i < 5; ++i) {
    suite.push(await app.page.evaluate(async () => {
      const t0 = performance.now();
      await window.wirecheck.run({ scenario: 'fieldreport-deepseek-v4-pro' });
      return performance.now() - t0;
    }));
  }
  results.simulated_suite_ms = median(suite);

  // A 1 MB chat answer from a CORS-enabled loopback server, then Evidence in raw view.
  const big = JSON.stringify({ id: 'x', object: 'chat.completion', model: 'm', choices: [{ index: 0, finish_reason: 'stop',
    message: { role: 'assistant', content: 'WIRECHECK_CHAT_OK\n' + 'lorem ipsum dolor sit amet\n'.repeat(40000) } }],
  usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
  const upstream = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*',
      'access-control-allow-headers': '*' });
    res.end(req.method === 'OPTIONS' ? '' : big);
  });
  await new Promise((r) => upstream.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${upstream.address().port}/v1`;
  await app.page.evaluate((b) => window.wirecheck.run({ base_url: b, model: 'm', api_key: 'k', steps: ['chat.basic'] }), base);
  // Frames per second while scrolling, and the app's own smoothed work per frame at the end.
  const scroll = () => app.page.evaluate(() => new Promise((resolve) => {
    let frames = 0; const t0 = performance.now();
    (function tick() {
      frames++;
      window.dispatchEvent(new WheelEvent('wheel', { deltaY: 40 }));
      if (performance.now() - t0 < 3000) requestAnimationFrame(tick);
      else resolve({ fps: frames / ((performance.now() - t0) / 1000), work_ms: window.wirecheck.state().frame_work_ms });
    })();
  }));
  await clickWidget(app, 'tab.overview');
  results.overview = await scroll();
  await clickWidget(app, 'tab.evidence');
  results.evidence_body_bytes = big.length;
  results.evidence = await scroll();
  upstream.close();
  await app.context.close();
} finally {
  await browser.close();
  await server.stop();
}
const p = results.first_frame_phases_ms;
console.log(`first frame           ${results.first_frame_ms.toFixed(0)} ms (median of 5, budget 1000): wasm loaded ` +
  `${p.wasm_loaded.toFixed(0)}, main() ${p.main.toFixed(0)}, GL ready ${p.gl_ready.toFixed(0)}, started ${p.started.toFixed(0)}`);
console.log(`simulated suite       ${results.simulated_suite_ms.toFixed(0)} ms (median of 5, budget 200)`);
console.log(`evidence, 1 MB body   app work ${results.evidence.work_ms.toFixed(1)} ms/frame (60 fps needs <= 16.7), ` +
  `${results.evidence.fps.toFixed(0)} fps; overview: ${results.overview.work_ms.toFixed(1)} ms/frame, ` +
  `${results.overview.fps.toFixed(0)} fps (headless Chromium, SwiftShader GL on the CPU)`);
console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const out = join(paths.repo, 'build/e2e/web-perf.json');
mkdirSync(join(paths.repo, 'build/e2e'), { recursive: true });
writeFileSync(out, JSON.stringify(results, null, 2));
console.log(`raw: ${out}`);
