// Stands in for @hono/node-server's serve(): keeps the gateway's fetch handler (portkey_hooks.mjs).
export function serve(options) {
  globalThis.__portkeyFetch = options.fetch;
  return { on() {}, close() {} };
}
