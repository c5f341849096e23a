// Times wirecheck's Wasm build (wirecheck_wasm_bench, tests/bench/wasm_bench.cpp) on the corpus
// with measure.mjs; the same code runs in node (run_wasm.mjs) and in Chromium (wasm_page.html).
//   module  what createWirecheckBench() resolved to
//   read    async (file name) -> Uint8Array of a corpus file
import { measure } from './measure.mjs';
import { CASES } from './cases.mjs';

const PROTOCOL = { chat: 0, responses: 1, messages: 2 };

export async function runWasmCases(module, read) {
  const results = [];
  for (const c of CASES) {
    const bytes = await read(c.input);
    const at = module._wc_input(bytes.length);
    module.HEAPU8.set(bytes, at);  // after the call: growing memory replaces HEAPU8
    const from = PROTOCOL[c.from], to = PROTOCOL[c.to];
    const fn = c.kind === 'request'
      ? () => module._wc_translate_request(from, to)
      : () => module._wc_translate_stream(from, to);
    const check = fn();
    if ((c.kind === 'request' && check !== 0) || (c.kind === 'stream' && check <= 0)) {
      throw new Error(`wirecheck wasm ${c.id} failed (${check})`);
    }
    results.push({ id: c.id, ...(await measure(fn)) });
  }
  return results;
}
