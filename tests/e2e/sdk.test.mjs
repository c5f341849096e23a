// The official SDKs parse what our stream encoders write: each source stream (real captures and
// tests/e2e/fixtures/*.sse) goes through `wirecheck translate --kind stream` into every protocol,
// is served from a loopback server, and the SDK helper's final object must say what the source
// said.
//
//   sources   what each source stream says (text, reasoning, tool calls, stop, usage)
//   expect*   what the final object of each SDK must then hold
//   tests     every source x every target; truncated sources must make every SDK reject
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { paths } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const sharedDir = process.env.WIRECHECK_SHARED_DIR || join(paths.repo, '../shared');

const fixture = (name) => readFileSync(join(here, 'fixtures', name), 'utf8');
const capture = (name) =>
  JSON.parse(readFileSync(join(sharedDir, 'fixtures/captures', name), 'utf8')).response.body_text;

// ---- sources ------------------------------------------------------------------------------------
// Usage in canonical terms (OpenAI rules): input includes cache reads and writes, output includes
// reasoning. `custom` marks a Codex freeform call: raw input, carried as {"input": raw} by
// protocols without custom tools.
const CODEX_EXEC_INPUT = 'const r = await tools.exec_command({ cmd: "echo HARNESS_OK > proof.txt", '
  + 'yield_time_ms: 10000 });\ntext(r);\n';
const sources = [
  {
    name: 'chat reasoning_content + text (fixture)', from: 'chat',
    body: () => fixture('chat-reasoning-text.sse'),
    text: '3 + 5 = 8 — «even» ✓', reasoning: 'Two primes sum to an even number.', calls: [],
    stop: 'end_turn', usage: { input: 40, output: 25, cacheRead: 32, cacheWrite: 0, reasoning: 18 },
  },
  {
    name: 'chat text + parallel calls, interleaved split arguments (fixture)', from: 'chat',
    body: () => fixture('chat-parallel-tools.sse'),
    text: 'Checking both cities.', reasoning: null,
    calls: [{ id: 'call_paris', name: 'get_weather', args: { city: 'Paris', days: [1, 2] } },
            { id: 'call_oslo', name: 'get_weather', args: { city: 'Oslo', units: 'C' } }],
    stop: 'tool_use', usage: { input: 120, output: 44, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
  },
  {
    name: 'responses reasoning summary + text + split function call (fixture)', from: 'responses',
    body: () => fixture('responses-reasoning-text-tool.sse'),
    text: 'Let me look at the tree.\n', reasoning: 'List the files, then answer.',
    encrypted: 'gAAAAABe2e3==',
    calls: [{ id: 'call_tree', name: 'list_dir', args: { path: 'src', depth: 2, glob: '*.cpp' } }],
    stop: 'tool_use',
    usage: { input: 900, output: 140, cacheRead: 512, cacheWrite: 0, reasoning: 64 },
  },
  {
    name: 'responses Codex custom tool call (codex-turn1 capture)', from: 'responses',
    body: () => capture('codex-turn1.json'),
    text: '', reasoning: null,
    calls: [{ id: 'call_gm9j6kczcrmww1z6gw', name: 'exec', custom: CODEX_EXEC_INPUT }],
    stop: 'tool_use', usage: { input: 100, output: 10, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
  },
  {
    name: 'responses function call (codex-classic-turn1 capture)', from: 'responses',
    body: () => capture('codex-classic-turn1.json'),
    text: '', reasoning: null,
    calls: [{ id: 'call_in4jf5w4cimww1z88l', name: 'exec_command',
              args: { cmd: 'echo HARNESS_OK > proof.txt', yield_time_ms: 10000 } }],
    stop: 'tool_use', usage: { input: 100, output: 10, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
  },
  {
    name: 'responses text (codex-turn2 capture)', from: 'responses',
    body: () => capture('codex-turn2.json'),
    text: 'DONE', reasoning: null, calls: [],
    stop: 'end_turn', usage: { input: 100, output: 10, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
  },
  {
    name: 'messages thinking + text + tool_use (claude-thinking-turn1 capture)', from: 'messages',
    body: () => capture('claude-thinking-turn1.json'),
    text: 'Running the harness command.',
    reasoning: 'The user wants a proof file; a single shell command does it.',
    signature: 'bW9jay1zaWduYXR1cmU6bXNnX3J3ZGtzNzI0YWRtd3cyMDI0cQ==',
    calls: [{ id: 'toolu_efcul26udqmww2024q', name: 'Bash',
              args: { command: 'echo HARNESS_OK > proof.txt',
                      description: 'Write harness proof file' } }],
    stop: 'tool_use', usage: { input: 100, output: 12, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
  },
  {
    name: 'messages thinking + two tool_use blocks, cache usage (fixture)', from: 'messages',
    body: () => fixture('messages-thinking-parallel-tools.sse'),
    text: 'Reading both.', reasoning: 'Read both files in parallel.', signature: 'c2lnLWUyZTQ=',
    calls: [{ id: 'toolu_e2e4a', name: 'Read', args: { file_path: '/tmp/a.txt', limit: 10 } },
            { id: 'toolu_e2e4b', name: 'Read', args: { file_path: '/tmp/b.txt' } }],
    stop: 'tool_use',
    usage: { input: 1230, output: 77, cacheRead: 1000, cacheWrite: 200, reasoning: 0 },
  },
];

// ---- translating and serving ------------------------------------------------------------------
function translate(from, to, input) {
  const r = spawnSync(paths.cli, ['translate', '--from', from, '--to', to, '--kind', 'stream',
                                  '--losses', 'json', '-'],
                      { input, encoding: 'utf8', timeout: 10000 });
  if (r.error) throw r.error;
  let losses;
  try {
    losses = r.stderr.trim() ? JSON.parse(r.stderr) : [];
  } catch {
    throw new Error(`${paths.cli} translate (exit ${r.status}) printed no losses: ${r.stderr}`);
  }
  return { status: r.status, out: r.stdout, losses };
}

// The source cut after its first half of events: no terminal event, a part possibly left open.
function truncate(body) {
  const events = body.split(/\n\n/).filter((e) => e.trim());
  return events.slice(0, Math.ceil(events.length / 2)).join('\n\n') + '\n\n';
}

// One loopback server; each stream gets a path prefix /s/<n>/ that its SDK client uses as base.
// Bodies go out in small pieces so the SDKs' SSE parsers see events split across reads.
let server;
let origin;
const bodies = new Map();
const requests = new Map();
let nextId = 0;

function serve(body) {
  const id = String(nextId++);
  bodies.set(id, body);
  return { id, base: `${origin}/s/${id}` };
}

before(async () => {
  if (!existsSync(paths.cli)) {
    throw new Error(`${paths.cli} is missing: build first (./run test does)`);
  }
  server = createServer((req, res) => {
    const id = req.url.match(/^\/s\/(\d+)\//)?.[1];
    let raw = '';
    req.on('data', (d) => { raw += d; });
    req.on('end', async () => {
      if (id === undefined || !bodies.has(id)) { res.writeHead(404).end(); return; }
      requests.set(id, { url: req.url, body: JSON.parse(raw || 'null') });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const bytes = Buffer.from(bodies.get(id), 'utf8');
      for (let i = 0; i < bytes.length; i += 97) {
        res.write(bytes.subarray(i, i + 97));
        await new Promise((r) => setImmediate(r));
      }
      res.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((r) => { server.close(r); server.closeAllConnections(); }));

const openai = (base) =>
  new OpenAI({ baseURL: `${base}/v1`, apiKey: 'sk-dummy', maxRetries: 0, timeout: 10000 });
const anthropic = (base) =>
  new Anthropic({ baseURL: base, apiKey: 'sk-ant-dummy', maxRetries: 0, timeout: 10000 });

// Each SDK helper, run to its final object.
const clients = {
  async responses(base) {
    const stream = openai(base).responses.stream({ model: 'gpt-test', input: 'hi' });
    return stream.finalResponse();
  },
  async chat(base) {
    const reasoning = [];
    const stream = openai(base).chat.completions.stream({
      model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }],
      stream_options: { include_usage: true },
    });
    // The SDK keeps only the last reasoning_content delta (non-standard field): collect them here.
    stream.on('chunk', (c) => {
      const r = c.choices?.[0]?.delta?.reasoning_content;
      if (typeof r === 'string') reasoning.push(r);
    });
    const completion = await stream.finalChatCompletion();
    return { completion, reasoning: reasoning.join('') };
  },
  async messages(base) {
    const stream = anthropic(base).messages.stream({
      model: 'claude-test', max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }],
    });
    return stream.finalMessage();
  },
};

// ---- expectations per target ------------------------------------------------------------------
// A call as each target carries it: custom calls keep their raw input only on Responses.
const asFunctionArgs = (call) => (call.custom !== undefined ? { input: call.custom } : call.args);

function expectResponses(src, response) {
  assert.equal(response.status, 'completed');
  assert.equal(response.output_text, src.text);
  const calls = response.output.filter(
    (o) => o.type === 'function_call' || o.type === 'custom_tool_call');
  assert.deepEqual(calls.map((o) => ({
    id: o.call_id, name: o.name, type: o.type,
    value: o.type === 'custom_tool_call' ? o.input : JSON.parse(o.arguments),
  })), src.calls.map((c) => ({
    id: c.id, name: c.name,
    // Responses is the only protocol with freeform calls, so only a Responses source keeps one.
    type: c.custom !== undefined && src.from === 'responses' ? 'custom_tool_call' : 'function_call',
    value: c.custom !== undefined && src.from === 'responses' ? c.custom : asFunctionArgs(c),
  })));
  const items = response.output.filter((o) => o.type === 'reasoning');
  const reasoning = items.flatMap(
    (o) => [...(o.summary ?? []), ...(o.content ?? [])].map((p) => p.text)).join('');
  assert.equal(reasoning || null, src.reasoning);
  // Encrypted reasoning is only sent back to the protocol that produced it.
  assert.deepEqual(items.map((o) => o.encrypted_content ?? null),
                   items.map(() => (src.from === 'responses' ? src.encrypted ?? null : null)));
  assert.equal(response.usage.input_tokens, src.usage.input);
  assert.equal(response.usage.output_tokens, src.usage.output);
  assert.equal(response.usage.input_tokens_details?.cached_tokens ?? 0, src.usage.cacheRead);
  assert.equal(response.usage.output_tokens_details?.reasoning_tokens ?? 0, src.usage.reasoning);
}

function expectChat(src, { completion, reasoning }) {
  const choice = completion.choices[0];
  assert.equal(completion.choices.length, 1);
  assert.equal(choice.finish_reason, src.stop === 'tool_use' ? 'tool_calls' : 'stop');
  assert.equal(choice.message.content ?? '', src.text);
  assert.deepEqual((choice.message.tool_calls ?? []).map((t) => ({
    id: t.id, type: t.type, name: t.function.name, args: JSON.parse(t.function.arguments),
  })), src.calls.map((c) => ({
    id: c.id, type: 'function', name: c.name, args: asFunctionArgs(c),
  })));
  assert.equal(reasoning || null, src.reasoning);
  assert.equal(completion.usage.prompt_tokens, src.usage.input);
  assert.equal(completion.usage.completion_tokens, src.usage.output);
  assert.equal(completion.usage.total_tokens, src.usage.input + src.usage.output);
  assert.equal(completion.usage.prompt_tokens_details?.cached_tokens ?? 0, src.usage.cacheRead);
  assert.equal(completion.usage.completion_tokens_details?.reasoning_tokens ?? 0,
               src.usage.reasoning);
}

function expectMessages(src, message) {
  assert.equal(message.role, 'assistant');
  assert.equal(message.stop_reason, src.stop);
  const blocks = (type) => message.content.filter((b) => b.type === type);
  assert.equal(blocks('text').map((b) => b.text).join(''), src.text);
  assert.deepEqual(blocks('tool_use').map((b) => ({ id: b.id, name: b.name, input: b.input })),
                   src.calls.map((c) => ({ id: c.id, name: c.name, input: asFunctionArgs(c) })));
  const thinking = blocks('thinking');
  assert.equal(thinking.map((b) => b.thinking).join('') || null, src.reasoning);
  // Only a Messages-origin signature may be sent back; a foreign one is dropped, never passed on.
  assert.deepEqual(thinking.map((b) => b.signature || null),
                   thinking.map(() => (src.from === 'messages' ? src.signature : null)));
  // Messages counts input WITHOUT the cache reads and writes (protocols.md).
  assert.equal(message.usage.input_tokens,
               src.usage.input - src.usage.cacheRead - src.usage.cacheWrite);
  assert.equal(message.usage.output_tokens, src.usage.output);
  assert.equal(message.usage.cache_read_input_tokens ?? 0, src.usage.cacheRead);
  // Chat has no field for cache writes, so they only survive when Chat is not in the way.
  if (src.from !== 'chat') {
    assert.equal(message.usage.cache_creation_input_tokens ?? 0, src.usage.cacheWrite);
  }
}

const expectations = { responses: expectResponses, chat: expectChat, messages: expectMessages };

// ---- tests --------------------------------------------------------------------------------------
// Known encoder bugs found by this test, reported and left to the codec's owner: the test still
// runs and is marked TODO while the bug shows in the translated bytes (it turns green by itself;
// then drop the entry).
function knownBug(to, out) {
  const reasoningParts = out.split('\n\n').filter(
    (e) => e.startsWith('event: response.content_part.added') && e.includes('"reasoning_text"'));
  if (to === 'responses' && out.includes('event: response.reasoning_text.delta')
      && !reasoningParts.length) {
    return 'Responses encoder sends response.reasoning_text.delta without a '
      + 'response.content_part.added '
      + '{type:"reasoning_text"} (and the reasoning item has no content[]): the openai SDK throws '
      + '"missing content at index 0"';
  }
  return null;
}

for (const src of sources) {
  for (const to of ['responses', 'chat', 'messages']) {
    test(`${to} SDK reads ${src.name} -> ${to}`, async (t) => {
      const { status, out, losses } = translate(src.from, to, src.body());
      assert.equal(status, 0, `translate failed: ${JSON.stringify(losses)}`);
      assert.ok(!losses.some((l) => l.code === 'loss.stream_truncated'), JSON.stringify(losses));
      const bug = knownBug(to, out);
      if (bug) t.todo(bug);
      const { id, base } = serve(out);
      const result = await clients[to](base);
      assert.equal(requests.get(id)?.body?.stream, true, 'the SDK asked for a stream');
      expectations[to](src, result);
    });
  }
}

// A source stream with no terminal event must never look like a finished answer to a client: each
// SDK must reject, and because of OUR error event (not some parse failure on the way). The
// Responses helper rejects with the `error` event object itself, the others with an APIError.
const truncationMessage = /stream (ended|closed) before/;
const rejections = {
  responses: (err) => err.type === 'error' && err.code === 'stream_truncated'
    && truncationMessage.test(err.message),
  chat: (err) => err instanceof OpenAI.APIError && truncationMessage.test(err.message),
  messages: (err) => err instanceof Anthropic.APIError && truncationMessage.test(err.message),
};
const truncatedSources = sources.filter((s) => /fixture/.test(s.name));
for (const src of truncatedSources) {
  for (const to of ['responses', 'chat', 'messages']) {
    test(`${to} SDK rejects a truncated ${src.from} stream (${src.name}) -> ${to}`, async (t) => {
      const { out, losses } = translate(src.from, to, truncate(src.body()));
      assert.ok(losses.some((l) => l.code === 'loss.stream_truncated' && l.severity === 'error'),
                `stream_truncated recorded: ${JSON.stringify(losses)}`);
      const bug = knownBug(to, out);
      if (bug) t.todo(bug);
      const { base } = serve(out);
      await assert.rejects(clients[to](base), (err) => {
        assert.ok(rejections[to](err),
                  `rejected for another reason: ${err?.message ?? JSON.stringify(err)}`);
        return true;
      });
    });
  }
}
