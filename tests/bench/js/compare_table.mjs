// Merges the runs of tests/bench/compare.sh into OUT/compare.json and prints the side-by-side
// table (markdown, as README "Performance" quotes it). With several runs each cell is the median
// of the runs and its ratio the ratio of those medians; a second table gives each ratio's range.
//   node compare_table.mjs OUT RUN_DIR...   (each RUN_DIR holds native.json, wasm.json, peers.json)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CASES } from './cases.mjs';

const [out, ...runDirs] = process.argv.slice(2);
const PEERS = ['musistudio', 'portkey'];
const CLIENTS = ['native', 'wasm_node', 'wasm_chromium'];
const NA = 'n/a — peer cannot express this direction';

const fmt = (us) => us == null ? '—' : us >= 10000 ? `${(us / 1000).toFixed(1)} ms` : us >= 100 ? `${us.toFixed(0)} µs` : `${us.toFixed(1)} µs`;
const size = (n) => n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(0)} kB` : `${n} B`;
const ratio = (fastestPeer, ours) => fastestPeer == null || ours == null ? '' : ` (${(fastestPeer / ours).toFixed(2)}×)`;
const median = (values) => {
  const v = values.filter((x) => x != null).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};

// ratio = fastest peer time / ours: above 1 means wirecheck is faster by that factor.
function addRatios(row) {
  const peerTimes = PEERS.map((p) => row[`${p}_us`]).filter((t) => t != null);
  row.fastest_peer_us = peerTimes.length ? Math.min(...peerTimes) : null;
  for (const k of CLIENTS) {
    row[`${k}_vs_fastest_peer`] = row.fastest_peer_us == null ? null : row.fastest_peer_us / row[`${k}_us`];
  }
  return row;
}

// One run: its rows, stream memory and the files they came from.
function readRun(dir) {
  const load = (name) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const native = load('native.json'), wasm = load('wasm.json'), peers = load('peers.json');
  const nativeMedian = (name) => native.benchmarks.find(
    (b) => b.run_name === `BM_${name}` && b.aggregate_name === 'median');
  const rows = CASES.map((c) => {
    const n = nativeMedian(c.id);
    const row = {
      id: c.id, label: c.label,
      native_us: n?.cpu_time, native_wall_us: n?.real_time, native_mb_s: n ? n.bytes_per_second / 1e6 : undefined,
      native_allocs_per_op: n?.allocs_per_op, input_bytes: n?.input_bytes,
      wasm_node_us: wasm.node.find((r) => r.id === c.id)?.median_us,
      wasm_chromium_us: wasm.chromium.find((r) => r.id === c.id)?.median_us,
    };
    for (const p of PEERS) {
      const r = peers.results.find((x) => x.peer === p && x.id === c.id);
      row[`${p}_us`] = r && !r.na ? r.median_us : null;
    }
    return addRatios(row);
  });
  const memory = ['ChatToMessages', 'ChatToResponses'].map((d) => {
    const b = native.benchmarks.find((x) => x.run_name.startsWith(`BM_StreamMemory_${d}_100MB`) &&
                                            (x.aggregate_name ?? 'median') === 'median');
    return b && { direction: d, mb_s: b.bytes_per_second / 1e6, live_kB_at_10MB: b.live_kB_at_10MB,
                  live_kB_at_100MB: b.live_kB_at_100MB, allocs_per_event: b.allocs_per_event };
  }).filter(Boolean);
  return { rows, memory, native, wasm, peers };
}

const runs = runDirs.map(readRun);
const last = runs[runs.length - 1];
const TIMES = ['native_us', 'native_wall_us', 'native_mb_s', 'wasm_node_us', 'wasm_chromium_us',
               ...PEERS.map((p) => `${p}_us`)];
const rows = CASES.map((c, i) => {
  const perRun = runs.map((r) => r.rows[i]);
  const row = { ...perRun[perRun.length - 1] };
  for (const k of TIMES) row[k] = median(perRun.map((r) => r[k]));
  addRatios(row);
  for (const k of CLIENTS) {
    const ratios = perRun.map((r) => r[`${k}_vs_fastest_peer`]).filter((x) => x != null);
    row[`${k}_vs_fastest_peer_range`] = ratios.length ? [Math.min(...ratios), Math.max(...ratios)] : null;
  }
  return row;
});
const loads = runs.map((r) => r.native.context.load_avg?.[0]);

writeFileSync(join(out, 'compare.json'), JSON.stringify({
  context: last.native.context, node: last.peers.node, chromium: last.wasm.chromium_version,
  runs: runs.length, load_avg_at_starts: loads,
  portkey_passthrough_us: median(runs.map((r) => r.peers.portkey_passthrough_us)),
  rows, stream_memory: last.memory,
  raw: runs.map(({ native, wasm, peers }) => ({ native, wasm, peers })),
}, null, 1));

const many = runs.length > 1 ? `median of ${runs.length} runs per cell, ` : '';
console.log('| operation · input | wirecheck native | wirecheck Wasm (node) | wirecheck Wasm (Chromium) | @musistudio/llms | @portkey-ai/gateway |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  const f = r.fastest_peer_us;
  const peer = (p) => r[`${p}_us`] == null ? NA : fmt(r[`${p}_us`]);
  console.log(`| ${r.label} | ${fmt(r.native_us)}${ratio(f, r.native_us)} | ${fmt(r.wasm_node_us)}${ratio(f, r.wasm_node_us)} | ${fmt(r.wasm_chromium_us)}${ratio(f, r.wasm_chromium_us)} | ${peer('musistudio')} | ${peer('portkey')} |`);
}
console.log(`\nMedian CPU time per operation (${many}Chromium: the page\'s main thread); (×) = fastest peer\'s median / wirecheck\'s: above 1, wirecheck is that many times faster.`);
console.log(`portkey's figures include its gateway pipeline: a Chat → Chat pass-through of the small chat costs ${fmt(median(runs.map((r) => r.peers.portkey_passthrough_us)))} there.`);

if (runs.length > 1) {
  const range = (x) => x ? `${x[0].toFixed(2)}–${x[1].toFixed(2)}×` : '—';
  console.log(`\nRatio to the fastest peer, lowest–highest of the ${runs.length} runs (load average at their starts: ${loads.map((l) => l?.toFixed(1)).join(', ')}):`);
  console.log('| operation · input | native | Wasm (node) | Wasm (Chromium) |');
  console.log('|---|---|---|---|');
  for (const r of rows.filter((x) => x.fastest_peer_us != null)) {
    console.log(`| ${r.label} | ${range(r.native_vs_fastest_peer_range)} | ${range(r.wasm_node_vs_fastest_peer_range)} | ${range(r.wasm_chromium_vs_fastest_peer_range)} |`);
  }
}

const lastOf = runs.length > 1 ? `, the last run` : '';
console.log(`\nNative detail (median of 5${lastOf}; CPU and wall time; MB/s = 10^6 input bytes per CPU second; heap allocations per operation):`);
console.log('| benchmark | input | CPU | wall | MB/s | allocs/op |');
console.log('|---|---|---|---|---|---|');
for (const b of last.native.benchmarks.filter((x) => x.aggregate_name === 'median' && !x.run_name.includes('StreamMemory'))) {
  console.log(`| ${b.run_name.replace(/^BM_/, '')} | ${size(b.input_bytes ?? 0)} | ${fmt(b.cpu_time)} | ${fmt(b.real_time)} | ${(b.bytes_per_second / 1e6).toFixed(1)} | ${b.allocs_per_op?.toFixed(0) ?? ''} |`);
}
console.log(`\nOne translator over a 100 MB Chat stream (4 KB reads, output dropped as it goes${lastOf}):`);
console.log('| direction | MB/s | heap live after 10 MB | after 100 MB | allocs/event |');
console.log('|---|---|---|---|---|');
for (const m of last.memory) {
  console.log(`| Chat → ${m.direction.replace('ChatTo', '')} | ${m.mb_s.toFixed(1)} | ${m.live_kB_at_10MB.toFixed(0)} kB | ${m.live_kB_at_100MB.toFixed(0)} kB | ${m.allocs_per_event.toFixed(1)} |`);
}
