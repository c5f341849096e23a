// Examples for the Translate panel, one click away: small inputs taken from real client traffic
// (the golden cases' inputs under tests/golden/; regenerate by copying those files).
#include "translate_examples.hpp"

namespace wirecheck::web {

const std::vector<TranslateExample>& translate_examples() {
    static const std::vector<TranslateExample> examples = {
        // tests/golden/request/responses-to-chat/codex-custom-tool/input.json
        {"codex-request", "Codex request", "Codex 请求", Protocol::Responses, TranslateKind::Request,
         R"WC({
  "model": "gpt-5.5",
  "instructions": "You are Codex.",
  "input": [
    {
      "type": "message",
      "role": "user",
      "content": [
        {
          "type": "input_text",
          "text": "Write proof.txt"
        }
      ]
    },
    {
      "type": "custom_tool_call",
      "call_id": "call_exec1",
      "name": "exec",
      "input": "echo \"HARNESS_OK\" > proof.txt\n"
    },
    {
      "type": "custom_tool_call_output",
      "call_id": "call_exec1",
      "output": "Exit code: 0"
    }
  ],
  "tools": [
    {
      "type": "custom",
      "name": "exec",
      "description": "Run a shell script",
      "format": {
        "type": "grammar",
        "syntax": "lark",
        "definition": "start: /.+/s"
      }
    }
  ],
  "tool_choice": "auto",
  "parallel_tool_calls": false
}
)WC"},
        // tests/golden/request/messages-to-chat/consecutive-tool-results-is-error/input.json
        {"claude-code-request", "Claude Code request", "Claude Code 请求", Protocol::Messages, TranslateKind::Request,
         R"WC({
  "model": "claude-sonnet-4-5",
  "max_tokens": 1024,
  "messages": [
    {
      "role": "user",
      "content": "Read a and b"
    },
    {
      "role": "assistant",
      "content": [
        {
          "type": "text",
          "text": "Reading both."
        },
        {
          "type": "tool_use",
          "id": "toolu_a",
          "name": "Read",
          "input": {
            "file_path": "a"
          }
        },
        {
          "type": "tool_use",
          "id": "toolu_b",
          "name": "Read",
          "input": {
            "file_path": "b"
          }
        }
      ]
    },
    {
      "role": "user",
      "content": [
        {
          "type": "tool_result",
          "tool_use_id": "toolu_a",
          "content": "alpha"
        },
        {
          "type": "tool_result",
          "tool_use_id": "toolu_b",
          "content": [
            {
              "type": "text",
              "text": "no such file"
            }
          ],
          "is_error": true
        },
        {
          "type": "text",
          "text": "Now summarise."
        }
      ]
    }
  ],
  "tools": [
    {
      "name": "Read",
      "input_schema": {
        "type": "object",
        "properties": {
          "file_path": {
            "type": "string"
          }
        }
      }
    }
  ]
}
)WC"},
        // tests/golden/stream/chat-to-responses/stream-deepseek-reasoning/input.sse
        {"chat-stream", "DeepSeek chat stream", "DeepSeek 对话流", Protocol::Chat, TranslateKind::Stream,
         R"WC(data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000000,"model":"deepseek-chat","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":""},"finish_reason":null}]}

data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000000,"model":"deepseek-chat","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"Six times"},"finish_reason":null}]}

data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000000,"model":"deepseek-chat","choices":[{"index":0,"delta":{"content":null,"reasoning_content":" seven."},"finish_reason":null}]}

data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000000,"model":"deepseek-chat","choices":[{"index":0,"delta":{"content":"42","reasoning_content":null},"finish_reason":null}]}

data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000000,"model":"deepseek-chat","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000000,"model":"deepseek-chat","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":20,"total_tokens":32,"completion_tokens_details":{"reasoning_tokens":15}}}

data: [DONE]

)WC"},
        // tests/golden/response/chat-to-messages/usage-deepseek-cache-reasoning/input.json
        {"chat-response", "DeepSeek chat response", "DeepSeek 对话响应", Protocol::Chat, TranslateKind::Response,
         R"WC({
  "id": "chatcmpl-123",
  "object": "chat.completion",
  "created": 1700000000,
  "model": "deepseek-chat",
  "choices": [
    {
      "index": 0,
      "message": {
        "role": "assistant",
        "content": "42",
        "reasoning_content": "Six times seven."
      },
      "finish_reason": "stop",
      "logprobs": null
    }
  ],
  "usage": {
    "prompt_tokens": 1200,
    "completion_tokens": 80,
    "total_tokens": 1280,
    "prompt_cache_hit_tokens": 1000,
    "prompt_cache_miss_tokens": 200,
    "completion_tokens_details": {
      "reasoning_tokens": 60
    }
  }
}
)WC"},
        // tests/golden/stream/messages-to-chat/stream-parallel-tools/input.sse
        {"messages-stream", "Claude stream with tools", "Claude 工具调用流", Protocol::Messages, TranslateKind::Stream,
         R"WC(event: message_start
data: {"type":"message_start","message":{"id":"msg_s1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":30,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_p0","name":"weather","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"city\":\"Paris\"}"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_p1","name":"weather","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\":\"Rome\"}"}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":9}}

event: message_stop
data: {"type":"message_stop"}

)WC"},
    };
    return examples;
}

}  // namespace wirecheck::web
