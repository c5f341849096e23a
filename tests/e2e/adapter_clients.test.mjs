// The real clients through `wirecheck serve --upstream` (the protocol adapters): `codex exec` with a
// model_providers entry at the adapter (wire_api = "responses") and `claude -p` with
// ANTHROPIC_BASE_URL at the adapter, both in front of the simulated chat-only gateway (a second
// `wirecheck serve`), each asked to write a file with a shell command and then answer. The clients
// are installed from npm at pinned versions into build/e2e/clients on first run; when the registry
// is unreachable the tests are skipped with a loud message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paths, startServer } from './harness.mjs';

const CODEX = '0.169.0';   // the versions the captures (../shared/fixtures/captures) were taken with
const CLAUDE = '2.1.197';
const clientsDir = process.env.WIRECHECK_E2E_CLIENTS || join(paths.repo, 'build/e2e/clients');
const bin = (name) => join(clientsDir, 'node_modules/.bin', name);
const TASK = 'Create a file proof.txt containing HARNESS_OK by running a shell command, then reply with exactly DONE.';
const CLAUDE_TASK = 'Create a file proof.txt containing HARNESS_OK using the Bash tool, then reply with exactly DONE.';
const RUN_LIMIT_MS = 120000;

let skipReason = '';
let sim, adapter, scratch;

function installClients() {
  if (existsSync(bin('codex')) && existsSync(bin('claude'))) return '';
  mkdirSync(clientsDir, { recursive: true });
  const r = spawnSync('npm', ['install', '--prefix', clientsDir, '--no-audit', '--no-fund',
    `@openai/codex@${CODEX}`, `@anthropic-ai/claude-code@${CLAUDE}`],
  { encoding: 'utf8', timeout: 300000 });
  if (r.status === 0 && existsSync(bin('codex')) && existsSync(bin('claude'))) return '';
  const view = spawnSync('npm', ['view', '@openai/codex', 'version'], { encoding: 'utf8', timeout: 30000 });
  if (view.status !== 0) return `the npm registry is unreachable (${(view.stderr || '').trim().split('\n').pop()})`;
  throw new Error(`npm install of the clients failed: ${r.stderr}`);
}

// Runs a client, bounded to two minutes; resolves with its exit code and output.
function run(cmd, args, { cwd, env }) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); err += '\n[killed after 2 minutes]'; }, RUN_LIMIT_MS);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, out, err }); });
  });
}

before(async () => {
  skipReason = installClients();
  if (skipReason) {
    console.error(`\n!!!!! SKIPPING the real-client adapter tests: ${skipReason} !!!!!\n`);
    return;
  }
  scratch = mkdtempSync(join(tmpdir(), 'wirecheck-adapter-e2e-'));
  const site = join(scratch, 'site');
  mkdirSync(site);
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>sim</title>');
  sim = await startServer([], { webRoot: site });
  // No web build for the adapter: it serves the adapters alone and answers HEAD / itself.
  adapter = await startServer(['--upstream', `${sim.url}sim/chat-only-gateway/v1`,
    '--upstream-protocol', 'chat', '--model-map', '*=qwen3-coder-30b'], { webRoot: scratch });
});

after(async () => {
  await adapter?.stop();
  await sim?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function baseEnv(home) {
  const env = { ...process.env, HOME: home, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' };
  for (const k of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL']) delete env[k];
  return env;
}

test('codex exec runs a shell command through the Responses adapter and answers', async (t) => {
  if (skipReason) return t.skip(skipReason);
  const home = mkdtempSync(join(scratch, 'codex-home-'));
  const work = mkdtempSync(join(scratch, 'codex-work-'));
  const codexHome = join(home, '.codex');
  mkdirSync(codexHome);
  // gpt-5.5: the classic tool set (function exec_command); the adapter maps every model upstream.
  writeFileSync(join(codexHome, 'config.toml'), [
    'model = "gpt-5.5"',
    'model_provider = "wirecheck"',
    'check_for_update_on_startup = false',
    '',
    '[analytics]',
    'enabled = false',
    '',
    '[model_providers.wirecheck]',
    'name = "wirecheck adapter"',
    `base_url = "${adapter.url}v1"`,
    'wire_api = "responses"',
    'env_key = "WIRECHECK_E2E_KEY"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
  ].join('\n'));
  const r = await run(bin('codex'), ['exec', '--skip-git-repo-check',
    '--dangerously-bypass-approvals-and-sandbox', '-C', work, TASK], {
    cwd: work, env: { ...baseEnv(home), CODEX_HOME: codexHome, WIRECHECK_E2E_KEY: 'sk-e2e-adapter' },
  });
  const proof = join(work, 'proof.txt');
  assert.ok(existsSync(proof), `no proof.txt\nstdout: ${r.out}\nstderr: ${r.err.slice(-3000)}\nadapter: ${adapter.output().slice(-2000)}`);
  assert.equal(readFileSync(proof, 'utf8').trim(), 'HARNESS_OK');
  assert.equal(r.code, 0, r.err.slice(-3000));
  assert.match(r.out, /DONE/);
});

test('claude -p runs Bash through the Messages adapter and answers', async (t) => {
  if (skipReason) return t.skip(skipReason);
  const home = mkdtempSync(join(scratch, 'claude-home-'));
  const work = mkdtempSync(join(scratch, 'claude-work-'));
  const r = await run(bin('claude'), ['-p', CLAUDE_TASK, '--dangerously-skip-permissions'], {
    cwd: work,
    env: {
      ...baseEnv(home),
      ANTHROPIC_BASE_URL: adapter.url.replace(/\/$/, ''),
      ANTHROPIC_API_KEY: 'sk-ant-e2e-adapter',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_AUTOUPDATER: '1',
      IS_SANDBOX: '1',
    },
  });
  const proof = join(work, 'proof.txt');
  assert.ok(existsSync(proof), `no proof.txt\nstdout: ${r.out}\nstderr: ${r.err.slice(-3000)}\nadapter: ${adapter.output().slice(-2000)}`);
  assert.equal(readFileSync(proof, 'utf8').trim(), 'HARNESS_OK');
  assert.equal(r.code, 0, r.err.slice(-3000));
  assert.match(r.out, /DONE/);
});
