// Module hook for the portkey run: the gateway's package is a server script (build/start-server.js)
// that listens on import; resolving @hono/node-server to node_server_stub.mjs keeps its Hono fetch
// handler in-process instead, so requests go through the gateway's own pipeline without sockets.
const STUB = new URL('./node_server_stub.mjs', import.meta.url).href;
export async function resolve(specifier, context, next) {
  if (specifier === '@hono/node-server') return { url: STUB, shortCircuit: true };
  return next(specifier, context);
}
