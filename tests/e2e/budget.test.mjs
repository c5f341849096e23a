// The playground's transfer-size budget, checked on every test run (sizes only; timings are
// measured by tests/bench/web_perf.mjs and reported in README, never asserted).
//   budget: everything the first visit downloads, gzip-compressed, <= 800 kB; the CJK font is
//   fetched later (lazily) and is reported separately.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, relative, dirname } from 'node:path';
import { paths } from './harness.mjs';

export const FIRST_VISIT_BUDGET_GZIP = 800 * 1024;
const LAZY = [/assets\/fonts\/cjk\./];  // loaded after the first frames
const NOT_PAGE = [/embed-example\.html$/];  // a docs example, not part of the page

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

test('first-visit transfer size stays within budget', () => {
  const rows = files(paths.webRoot)
    .map((p) => {
      const data = readFileSync(p);
      const rel = relative(paths.webRoot, p);
      return { file: rel, raw: data.length, gzip: gzipSync(data).length,
               lazy: LAZY.some((r) => r.test(rel)), page: !NOT_PAGE.some((r) => r.test(rel)) };
    })
    .filter((r) => r.page);
  const first = rows.filter((r) => !r.lazy);
  const total = first.reduce((a, r) => a + r.gzip, 0);
  const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
  for (const r of rows) console.log(`${r.file.padEnd(28)} ${kb(r.raw).padStart(10)} raw ${kb(r.gzip).padStart(10)} gzip${r.lazy ? '  (lazy)' : ''}`);
  console.log(`first visit: ${kb(total)} gzip of ${kb(FIRST_VISIT_BUDGET_GZIP)} budget`);
  const out = join(paths.repo, 'build/e2e/web-sizes.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ files: rows, first_visit_gzip: total, budget_gzip: FIRST_VISIT_BUDGET_GZIP }, null, 2));
  assert.ok(first.some((r) => r.file.endsWith('index.wasm')), 'index.wasm is in the web root');
  assert.ok(total <= FIRST_VISIT_BUDGET_GZIP, `first visit ${kb(total)} gzip exceeds ${kb(FIRST_VISIT_BUDGET_GZIP)}`);
});
