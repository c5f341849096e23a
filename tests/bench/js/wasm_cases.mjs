// wirecheck's Wasm build (wirecheck_wasm_bench, tests/bench/wasm_bench.cpp) on the corpus: the
// same code prepares each case in node and in Chromium (wasm_page.html); run_wasm.mjs times them.
//   module  what createWirecheckBench() resolved to
//   read    async (file name) -> Uint8Array of a corpus file
import { measure } from './measure.mjs';
import { CASES } from './cases.mjs';

const PROTOCOL = { chat: 0, responses: 1, messages: 2 };

// Copies the case's input into the module and returns the call to time, checked once.
export async function prepareCase(module, c, read) {
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
  return fn;
}

// Every case timed in this node process.
export async function runWasmCases(module, read) {
  const results = [];
  for (const c of CASES) {
    const fn = await prepareCase(module, c, read);
    results.push({ id: c.id, ...(await measure(fn)) });
  }
  return results;
}
