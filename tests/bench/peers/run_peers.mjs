// Times the JS translators on the benchmark corpus, through their public entry points, with the
// same timing loop as the Wasm run (../js/measure.mjs). Prints JSON: { results: [...] }.
//   node run_peers.mjs CORPUS_DIR
// Requests are timed from the body's text to the text sent upstream, as wirecheck's are.
// @musistudio/llms: its Server's transformerService hands out the transformers claude-code-router
//   runs: Anthropic.transformRequestOut (Messages request -> unified Chat),
//   Anthropic.transformResponseIn (Chat stream -> Messages stream), openai-responses
//   .transformRequestIn (Chat request -> Responses) and .transformResponseOut (Responses stream ->
//   Chat stream).
// @portkey-ai/gateway: only a server script on npm, so its Hono app is called in-process
//   (portkey_hooks.mjs) with global fetch answering for the upstream at once: POST
//   /v1/chat/completions with provider anthropic (Chat request -> Messages, Messages stream ->
//   Chat stream). Its 1.15.2 refuses /v1/messages and /v1/responses for non-native providers
//   ("messages is not supported by openai"), so those directions are n/a. Its figures include the
//   gateway's routing, reported alone as portkey_passthrough_us (Chat -> Chat, provider openai).
import { readFileSync } from 'node:fs';
import { register, createRequire } from 'node:module';
import { join } from 'node:path';
import { measure, chunks } from '../js/measure.mjs';
import { CASES } from '../js/cases.mjs';

const corpus = process.argv[2];
const text = (name) => readFileSync(join(corpus, name), 'utf8');
const bytes = (name) => new Uint8Array(readFileSync(join(corpus, name)));
const quiet = { debug() {}, info() {}, warn() {}, error() {}, trace() {}, fatal() {}, child() { return quiet; } };

async function drain(response) {
  const reader = response.body.getReader();
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return n;
    n += value.length;
  }
}
function sseResponse(pieces) {
  let i = 0;
  const body = new ReadableStream({
    pull(controller) { i < pieces.length ? controller.enqueue(pieces[i++]) : controller.close(); },
  });
  return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } });
}

// ---- @musistudio/llms ----
async function musistudio() {
  const require = createRequire(import.meta.url);
  const Server = require('@musistudio/llms').default ?? require('@musistudio/llms');
  const server = new Server({ initialConfig: { providers: [] }, logger: false });
  await server.transformerService.initialize();
  const anthropic = server.transformerService.getTransformer('Anthropic');
  const responses = server.transformerService.getTransformer('openai-responses');
  for (const t of [anthropic, responses]) t.logger = quiet;
  const context = { req: { id: 'bench' } };
  // Text in, text out, as in claude-code-router: the body arrives as text (fastify parses it) and
  // sendUnifiedRequest() sends JSON.stringify(request) upstream.
  const request = (input, fn) => {
    const body = text(input);
    return async () => JSON.stringify(await fn(JSON.parse(body)));
  };
  const stream = (input, fn) => {
    const pieces = chunks(bytes(input));
    return async () => drain(await fn(sseResponse(pieces)));
  };
  return {
    Request_MessagesToChat_ClaudeTurn1: request('claude-turn1.json', (b) => anthropic.transformRequestOut(b)),
    Request_ChatToResponses_SmallChat: request('small-chat.json', (b) => responses.transformRequestIn(b)),
    Request_ChatToResponses_200Turns: request('chat-200-turns.json', (b) => responses.transformRequestIn(b)),
    Stream_ChatToMessages_1MB: stream('chat-stream-1mb.sse', (r) => anthropic.transformResponseIn(r, context)),
    Stream_ResponsesToChat_1MB: stream('responses-stream-1mb.sse', (r) => responses.transformResponseOut(r, context)),
  };
}

// ---- @portkey-ai/gateway ----
const ANTHROPIC_REPLY = JSON.stringify({ id: 'msg_bench', type: 'message', role: 'assistant', model: 'claude-bench', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } });
const CHAT_REPLY = JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion', created: 1, model: 'gpt-bench', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
async function portkey() {
  register('./portkey_hooks.mjs', import.meta.url);
  let upstream = null;  // () => Response, set per case
  globalThis.fetch = async () => upstream();
  const { log, clear } = console;
  const write = process.stdout.write;
  console.log = console.clear = () => {};
  process.stdout.write = () => true;
  await import('@portkey-ai/gateway/build/start-server.js');
  await new Promise((r) => setTimeout(r, 1200));  // its start-up spinner
  Object.assign(console, { log, clear });
  process.stdout.write = write;
  const app = globalThis.__portkeyFetch;
  const post = (provider, body) => app(new Request('http://localhost/v1/chat/completions', {
    method: 'POST', body,
    headers: { 'content-type': 'application/json', 'x-portkey-provider': provider, authorization: 'Bearer bench', 'x-portkey-custom-host': 'http://127.0.0.1:9/v1' },
  }));
  const json = (s) => () => new Response(s, { headers: { 'content-type': 'application/json' } });
  const request = (input) => {
    const body = text(input);
    return async () => {
      upstream = json(ANTHROPIC_REPLY);
      const r = await post('anthropic', body);
      if (r.status !== 200) throw new Error(`portkey answered ${r.status}: ${await r.text()}`);
      return r.text();
    };
  };
  const messagesStream = chunks(bytes('messages-stream-1mb.sse'));
  const streamBody = JSON.stringify({ ...JSON.parse(text('small-chat.json')), stream: true });
  const small = text('small-chat.json');
  return {
    cases: {
      Request_ChatToMessages_SmallChat: request('small-chat.json'),
      Request_ChatToMessages_200Turns: request('chat-200-turns.json'),
      Stream_MessagesToChat_1MB: async () => {
        upstream = () => sseResponse(messagesStream);
        const r = await post('anthropic', streamBody);
        if (r.status !== 200) throw new Error(`portkey answered ${r.status}`);
        return drain(r);
      },
    },
    passthrough: async () => { upstream = json(CHAT_REPLY); return (await post('openai', small)).text(); },
  };
}

const results = [];
async function run(peer, cases) {
  for (const c of CASES) {
    const fn = cases[c.id];
    if (!fn) { results.push({ peer, id: c.id, na: true }); continue; }
    const out = await fn();  // checked once: it must produce something
    const outSize = typeof out === 'number' ? out : typeof out === 'string' ? out.length : JSON.stringify(out).length;
    if (!outSize) throw new Error(`${peer} ${c.id}: empty output`);
    const m = await measure(fn);
    results.push({ peer, id: c.id, output_bytes: outSize, ...m });
    process.stderr.write(`  ${peer.padEnd(12)} ${c.id.padEnd(38)} ${m.median_us.toFixed(0).padStart(9)} us\n`);
  }
}
await run('musistudio', await musistudio());
const pk = await portkey();
await run('portkey', pk.cases);
const passthrough = await measure(pk.passthrough);
process.stdout.write(JSON.stringify({ node: process.version, results, portkey_passthrough_us: passthrough.median_us }, null, 1) + '\n');
process.exit(0);
