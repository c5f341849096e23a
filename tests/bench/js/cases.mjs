// The benchmark rows shared by the native, Wasm and peer runs: id = the native benchmark's name
// without BM_, input = a file written by `wirecheck_bench --corpus_out=DIR`.
export const CASES = [
  { id: 'Request_ResponsesToChat_CodexTurn1', kind: 'request', from: 'responses', to: 'chat', input: 'codex-turn1.json', label: 'Responses → Chat request · Codex CLI turn 1' },
  { id: 'Request_MessagesToChat_ClaudeTurn1', kind: 'request', from: 'messages', to: 'chat', input: 'claude-turn1.json', label: 'Messages → Chat request · Claude Code turn 1' },
  { id: 'Request_ChatToMessages_SmallChat', kind: 'request', from: 'chat', to: 'messages', input: 'small-chat.json', label: 'Chat → Messages request · small chat' },
  { id: 'Request_ChatToResponses_SmallChat', kind: 'request', from: 'chat', to: 'responses', input: 'small-chat.json', label: 'Chat → Responses request · small chat' },
  { id: 'Request_ChatToMessages_200Turns', kind: 'request', from: 'chat', to: 'messages', input: 'chat-200-turns.json', label: 'Chat → Messages request · 200 messages' },
  { id: 'Request_ChatToResponses_200Turns', kind: 'request', from: 'chat', to: 'responses', input: 'chat-200-turns.json', label: 'Chat → Responses request · 200 messages' },
  { id: 'Stream_ChatToResponses_1MB', kind: 'stream', from: 'chat', to: 'responses', input: 'chat-stream-1mb.sse', label: 'Chat → Responses stream · 1 MB' },
  { id: 'Stream_ChatToMessages_1MB', kind: 'stream', from: 'chat', to: 'messages', input: 'chat-stream-1mb.sse', label: 'Chat → Messages stream · 1 MB' },
  { id: 'Stream_MessagesToChat_1MB', kind: 'stream', from: 'messages', to: 'chat', input: 'messages-stream-1mb.sse', label: 'Messages → Chat stream · 1 MB' },
  { id: 'Stream_ResponsesToChat_1MB', kind: 'stream', from: 'responses', to: 'chat', input: 'responses-stream-1mb.sse', label: 'Responses → Chat stream · 1 MB' },
];
