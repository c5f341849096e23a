// Merges the native, Wasm and peer results of tests/bench/compare.sh into OUT/compare.json and
// prints the side-by-side table (markdown, as README "Performance" quotes it).
//   node compare_table.mjs OUT     (reads OUT/native.json, OUT/wasm.json, OUT/peers.json)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CASES } from './cases.mjs';

const out = process.argv[2];
const load = (name) => JSON.parse(readFileSync(join(out, name), 'utf8'));
const native = load('native.json'), wasm = load('wasm.json'), peers = load('peers.json');
const PEERS = ['musistudio', 'portkey'];
const NA = 'n/a — peer cannot express this direction';

const nativeMedian = (name) => native.benchmarks.find(
  (b) => b.run_name === `BM_${name}` && b.aggregate_name === 'median');
const fmt = (us) => us == null ? '—' : us >= 10000 ? `${(us / 1000).toFixed(1)} ms` : us >= 100 ? `${us.toFixed(0)} µs` : `${us.toFixed(1)} µs`;
const size = (n) => n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(0)} kB` : `${n} B`;
const ratio = (fastestPeer, ours) => fastestPeer == null || ours == null ? '' : ` (${(fastestPeer / ours).toFixed(2)}×)`;

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
  const peerTimes = PEERS.map((p) => row[`${p}_us`]).filter((t) => t != null);
  row.fastest_peer_us = peerTimes.length ? Math.min(...peerTimes) : null;
  // ratio = fastest peer time / ours: above 1 means wirecheck is faster by that factor.
  for (const k of ['native', 'wasm_node', 'wasm_chromium']) {
    row[`${k}_vs_fastest_peer`] = row.fastest_peer_us == null ? null : row.fastest_peer_us / row[`${k}_us`];
  }
  return row;
});

const memory = ['ChatToMessages', 'ChatToResponses'].map((d) => {
  const b = native.benchmarks.find((x) => x.run_name.startsWith(`BM_StreamMemory_${d}_100MB`) &&
                                          (x.aggregate_name ?? 'median') === 'median');
  return b && { direction: d, mb_s: b.bytes_per_second / 1e6, live_kB_at_10MB: b.live_kB_at_10MB,
                live_kB_at_100MB: b.live_kB_at_100MB, allocs_per_event: b.allocs_per_event };
}).filter(Boolean);

writeFileSync(join(out, 'compare.json'), JSON.stringify({
  context: native.context, node: peers.node, chromium: wasm.chromium_version,
  portkey_passthrough_us: peers.portkey_passthrough_us, rows, stream_memory: memory,
  raw: { native, wasm, peers },
}, null, 1));

console.log('| operation · input | wirecheck native | wirecheck Wasm (node) | wirecheck Wasm (Chromium) | @musistudio/llms | @portkey-ai/gateway |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  const f = r.fastest_peer_us;
  const peer = (p) => r[`${p}_us`] == null ? NA : fmt(r[`${p}_us`]);
  console.log(`| ${r.label} | ${fmt(r.native_us)}${ratio(f, r.native_us)} | ${fmt(r.wasm_node_us)}${ratio(f, r.wasm_node_us)} | ${fmt(r.wasm_chromium_us)}${ratio(f, r.wasm_chromium_us)} | ${peer('musistudio')} | ${peer('portkey')} |`);
}
console.log('\nMedian CPU time per operation (Chromium: the page\'s main thread); (×) = fastest peer\'s median / wirecheck\'s: above 1, wirecheck is that many times faster.');
console.log(`portkey's figures include its gateway pipeline: a Chat → Chat pass-through of the small chat costs ${fmt(peers.portkey_passthrough_us)} there.`);

console.log('\nNative detail (median of 5; CPU and wall time; MB/s = 10^6 input bytes per CPU second; heap allocations per operation):');
console.log('| benchmark | input | CPU | wall | MB/s | allocs/op |');
console.log('|---|---|---|---|---|---|');
for (const b of native.benchmarks.filter((x) => x.aggregate_name === 'median' && !x.run_name.includes('StreamMemory'))) {
  console.log(`| ${b.run_name.replace(/^BM_/, '')} | ${size(b.input_bytes ?? 0)} | ${fmt(b.cpu_time)} | ${fmt(b.real_time)} | ${(b.bytes_per_second / 1e6).toFixed(1)} | ${b.allocs_per_op?.toFixed(0) ?? ''} |`);
}
console.log('\nOne translator over a 100 MB Chat stream (4 KB reads, output dropped as it goes):');
console.log('| direction | MB/s | heap live after 10 MB | after 100 MB | allocs/event |');
console.log('|---|---|---|---|---|');
for (const m of memory) {
  console.log(`| Chat → ${m.direction.replace('ChatTo', '')} | ${m.mb_s.toFixed(1)} | ${m.live_kB_at_10MB.toFixed(0)} kB | ${m.live_kB_at_100MB.toFixed(0)} kB | ${m.allocs_per_event.toFixed(1)} |`);
}
