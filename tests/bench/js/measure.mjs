// The timing loop every JS-side figure uses (peers in node, wirecheck Wasm in node and Chromium),
// so they are measured alike: warm up (JIT, caches), pick a batch of k calls lasting >= 20 ms,
// then time `samples` batches; the figure is the median batch time / k.
// Clocks are CPU time, as the native figures are — wall time on this shared 2-core machine mostly
// measures the other builds. In node: the process's CPU time (user + system, all its threads: GC
// and JIT included). In Chromium: the page's main thread (run_wasm.mjs reads it over DevTools).

// Times batches: `runBatch(k)` makes k calls and resolves to the milliseconds they took.
export async function measureBatches(runBatch,
                                     { samples = 11, minBatchMs = 20, warmupMs = 300, clock } = {}) {
  let k = 1;
  for (let spent = 0; spent < warmupMs;) {
    const ms = await runBatch(k);
    spent += ms;
    if (ms < minBatchMs) k = Math.min(k * 2, 1 << 20);
  }
  const perOp = [];
  for (let s = 0; s < samples; ++s) perOp.push((await runBatch(k)) / k);
  perOp.sort((a, b) => a - b);
  return { median_us: perOp[perOp.length >> 1] * 1e3, min_us: perOp[0] * 1e3, batch: k, samples, clock };
}

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };

// Times `fn` (sync or async) in this node process.
export async function measure(fn, options = {}) {
  const first = fn();
  const isAsync = first && typeof first.then === 'function';
  if (isAsync) await first;
  const runBatch = isAsync
    ? async (k) => { const t0 = cpuMs(); for (let i = 0; i < k; ++i) await fn(); return cpuMs() - t0; }
    : async (k) => { const t0 = cpuMs(); for (let i = 0; i < k; ++i) fn(); return cpuMs() - t0; };
  return measureBatches(runBatch, { ...options, clock: 'cpu' });
}

// The stream input as a socket would deliver it: 4 KB pieces (the native benchmark's read size).
export function chunks(bytes, size = 4096) {
  const out = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}
