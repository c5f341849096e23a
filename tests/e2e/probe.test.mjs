// `wirecheck probe` over real loopback HTTP against the simulated endpoints of `wirecheck serve`,
// both binaries as a user runs them: streaming, a tool loop, an HTTP 400, a stream that breaks
// off, a timeout, exit codes, and a key that shows up nowhere in the output.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { paths, startServer } from './harness.mjs';

const KEY = 'sk-e2e-probe-SECRET-90210';
let server;

before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

// Runs the probe binary; resolves with its exit code, stdout, stderr.
function probe(args, { env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(paths.cli, ['probe', ...args], {
      env: { ...process.env, WIRECHECK_API_KEY: KEY, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`probe hung: ${err}`)); }, 60000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      assert.ok(!out.includes(KEY) && !err.includes(KEY), 'the API key leaked into the output');
      resolve({ code, out, err });
    });
  });
}

const sim = (name) => `${server.url}sim/${name}`;
const stepsOf = (report) => Object.fromEntries(report.steps.map((s) => [s.id, s]));
const verdictsOf = (report) => Object.fromEntries(report.verdicts.map((v) => [v.client, v.level]));
// Findings are listed once, report-wide, each naming its step.
const findingsOf = (report, id) => report.findings.filter((f) => f.step === id);
const findingCodes = (report, id) => findingsOf(report, id).map((f) => f.code);

test('the field-report gateway over HTTP: streams, tool loops, the 400 and the verdicts', async () => {
  const r = await probe(['--base-url', sim('fieldreport-deepseek-v4-pro'), '--model', 'deepseek-v4-pro',
    '--format', 'json', '--require', 'chat,claude-code']);
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(r.out);
  const steps = stepsOf(report);
  assert.deepEqual(verdictsOf(report), {
    codex: 'verdict.ready_via_adapter', 'claude-code': 'verdict.ready', chat: 'verdict.ready',
  });
  // Streaming: SSE arrived as events and decoded to the exact text.
  for (const id of ['chat.stream', 'messages.stream']) {
    assert.equal(steps[id].status, 'passed', id);
    assert.ok(steps[id].exchanges[0].events.length > 3, `${id} events`);
    assert.match(steps[id].exchanges[0].decoded.text, /^WIRECHECK_(CHAT|MESSAGES)_OK$/, id);
  }
  // A tool loop: the call, then the answer after the tool result.
  for (const id of ['chat.tools', 'messages.tools', 'adapter.responses_via_chat']) {
    assert.equal(steps[id].status, 'passed', id);
    assert.equal(steps[id].exchanges.length, 2, id);
    assert.equal(steps[id].exchanges[0].decoded.tool_calls[0].name, 'get_city_timezone', id);
  }
  // The 400 with its gateway error, and the budget finding of the report.
  assert.equal(steps['responses.basic'].exchanges[0].status, 400);
  assert.ok(findingCodes(report, 'responses.basic').includes('http.convert_request_failed'));
  const budget = findingsOf(report, 'chat.budget').find((f) => f.code === 'budget.reasoning_exhausted');
  assert.equal(budget.data.reasoning_tokens, 28);
  // Progress: one line per step on stderr as they finish.
  assert.equal(r.err.trim().split('\n').length, 14, r.err);
  // The key went out as a bearer token but is recorded as the placeholder.
  assert.match(steps['chat.basic'].exchanges[0].curl, /\$WIRECHECK_API_KEY/);
});

test('Codex is required: exit 1 unless an adapter is acceptable', async () => {
  const args = ['--base-url', sim('fieldreport-deepseek-v4-pro'), '--model', 'deepseek-v4-pro',
    '--steps', 'responses.basic,adapter.responses_via_chat', '--require', 'codex'];
  const strict = await probe(args);
  assert.equal(strict.code, 1);
  assert.match(strict.out, /Codex CLI\s+READY VIA ADAPTER/);
  assert.match(strict.err, /required client codex is READY VIA ADAPTER/);
  assert.equal((await probe([...args, '--allow-adapter'])).code, 0);
});

test('a stream that breaks off mid-way is a dropped stream, not a pass', async () => {
  const r = await probe(['--base-url', sim('stream-drop'), '--model', 'flaky-model', '--format', 'json',
    '--steps', 'chat.basic,chat.stream,responses.stream,messages.stream', '--require', 'chat']);
  // Chat apps can still work without streaming; Codex (which always streams) cannot.
  assert.equal(r.code, 1);
  assert.match(r.err, /required client chat is READY WITH LIMITATIONS \(add --allow-limitations/);
  const report = JSON.parse(r.out);
  const steps = stepsOf(report);
  assert.equal(steps['chat.basic'].status, 'passed');
  for (const id of ['chat.stream', 'responses.stream', 'messages.stream']) {
    assert.equal(steps[id].status, 'failed', id);
    assert.ok(findingCodes(report, id).includes('net.stream_dropped'), id);
    const ex = steps[id].exchanges[0];
    assert.equal(ex.status, 200);
    assert.ok(ex.body_bytes > 0, `${id}: the first half of the events arrived`);
    assert.equal(ex.failure, 'network');
  }
});

test('a request slower than --timeout is cut off with a timeout finding', async () => {
  const started = Date.now();
  const r = await probe(['--base-url', sim('slow-stream'), '--model', 'slow-model', '--format', 'json',
    '--steps', 'chat.stream', '--timeout', '0.4']);
  assert.ok(Date.now() - started < 10000, 'the timeout did not stop the request');
  const step = JSON.parse(r.out).steps[0];
  assert.equal(step.status, 'failed');
  assert.equal(step.exchanges[0].failure, 'timeout');
  assert.match(step.exchanges[0].failure_message, /not complete within 400 ms/);
});

test('no server at all: a network finding naming the cause, still a report', async () => {
  const r = await probe(['--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--steps', 'chat.basic',
    '--require', 'chat']);
  assert.equal(r.code, 1);
  assert.match(r.out, /net\.network_failed/);
  assert.match(r.out, /Couldn't connect to server|Connection refused/);
});

test('a key on the command line is refused before anything is sent', async () => {
  const r = await probe(['--base-url', sim('openai-native'), '--model', 'm', '--api-key', 'sk-typed-in-123']);
  assert.equal(r.code, 2);
  assert.match(r.err, /WIRECHECK_API_KEY/);
  assert.ok(!r.err.includes('sk-typed-in-123'));
});
