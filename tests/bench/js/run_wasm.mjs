// Times wirecheck's Wasm translation in node and in headless Chromium (Debian's, through
// tests/e2e's playwright-core) on the same corpus and loop. Prints JSON { node: [...], chromium: [...] }.
//   node run_wasm.mjs WASM_DIR CORPUS_DIR     (WASM_DIR holds wirecheck_wasm_bench.js/.wasm)
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname, resolve, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWasmCases } from './wasm_cases.mjs';
import { measureBatches } from './measure.mjs';
import { CASES } from './cases.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const [wasmDir, corpusDir] = process.argv.slice(2).map((p) => resolve(p));
const require = createRequire(import.meta.url);

// ---- node ----
const createWirecheckBench = require(join(wasmDir, 'wirecheck_wasm_bench.js'));
// wasmBinary given: node 20's fetch cannot load a file path (the Emscripten 3.1.6 pitfall).
const wasmBinary = readFileSync(join(wasmDir, 'wirecheck_wasm_bench.wasm'));
const node = await runWasmCases(await createWirecheckBench({ wasmBinary }),
  async (name) => new Uint8Array(readFileSync(join(corpusDir, name))));
for (const r of node) process.stderr.write(`  wasm node     ${r.id.padEnd(38)} ${r.median_us.toFixed(0).padStart(9)} us\n`);

// ---- Chromium: the page, its module and the corpus from a loopback server ----
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
const roots = { '/wasm/': wasmDir, '/js/': here, '/corpus/': corpusDir };
const server = createServer((req, res) => {
  const url = req.url === '/' ? '/js/wasm_page.html' : req.url;
  const prefix = Object.keys(roots).find((p) => url.startsWith(p));
  const file = prefix && join(roots[prefix], url.slice(prefix.length).replace(/\.\.+/g, ''));
  if (!file || !existsSync(file)) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const { chromium } = require(join(here, '../../e2e/node_modules/playwright-core'));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--no-first-run', '--disable-sync'],
});
const chromiumResults = [];
const chromiumVersion = browser.version();
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.ready !== undefined, null, { timeout: 120_000 });
  const ready = await page.evaluate(() => window.ready);
  if (ready !== true) throw new Error(`in Chromium: ${ready}`);
  // A page has no CPU clock; DevTools reports its main thread's CPU time (ThreadTime, seconds).
  const devtools = await page.context().newCDPSession(page);
  await devtools.send('Performance.enable', { timeDomain: 'threadTicks' });
  const threadMs = async () => {
    const { metrics } = await devtools.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'ThreadTime').value * 1e3;
  };
  for (const [i, c] of CASES.entries()) {
    await page.evaluate((i) => window.bench.prepare(i), i);
    const result = await measureBatches(async (k) => {
      const t0 = await threadMs();
      await page.evaluate((k) => window.bench.batch(k), k);
      return (await threadMs()) - t0;
    }, { clock: 'thread-cpu' });
    chromiumResults.push({ id: c.id, ...result });
    process.stderr.write(`  wasm chromium ${c.id.padEnd(38)} ${result.median_us.toFixed(0).padStart(9)} us\n`);
  }
} finally {
  await browser.close();
  server.close();
}
process.stdout.write(JSON.stringify({ node: node, chromium: chromiumResults, chromium_version: chromiumVersion }, null, 1) + '\n');
