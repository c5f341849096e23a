// The timing loop every JS-side figure uses (peers in node, wirecheck Wasm in node and Chromium),
// so they are measured alike: warm up (JIT, caches), pick a batch of k calls lasting >= 20 ms,
// then time `samples` batches; the figure is the median batch time / k.
// Clock: in node the process's CPU time (user + system, all its threads: GC and JIT included),
// as the native figures use CPU time — wall time on this shared 2-core machine mostly measures
// the other builds. A page has no CPU clock: Chromium figures are wall time (`clock` says which).
const cpu = typeof process === 'object' && typeof process.cpuUsage === 'function';
export const clock = cpu ? 'cpu' : 'wall';
const now = cpu ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; } : () => performance.now();

export async function measure(fn, { samples = 11, minBatchMs = 20, warmupMs = 300 } = {}) {
  const first = fn();
  const isAsync = first && typeof first.then === 'function';
  if (isAsync) await first;
  const run = isAsync
    ? async (k) => { const t0 = now(); for (let i = 0; i < k; ++i) await fn(); return now() - t0; }
    : async (k) => { const t0 = now(); for (let i = 0; i < k; ++i) fn(); return now() - t0; };
  let k = 1;
  for (let spent = 0; spent < warmupMs;) {
    const ms = await run(k);
    spent += ms;
    if (ms < minBatchMs) k = Math.min(k * 2, 1 << 20);
  }
  const perOp = [];
  for (let s = 0; s < samples; ++s) perOp.push((await run(k)) / k);
  perOp.sort((a, b) => a - b);
  return { median_us: perOp[perOp.length >> 1] * 1e3, min_us: perOp[0] * 1e3, batch: k, samples, clock };
}

// The stream input as a socket would deliver it: 4 KB pieces (the native benchmark's read size).
export function chunks(bytes, size = 4096) {
  const out = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}
