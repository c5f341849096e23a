// The translation core behind a C ABI, for the Wasm side of tests/bench/compare.sh
// (js/wasm_cases.mjs times these calls in node and in headless Chromium). JS copies an input into
// the buffer once; each timed call then translates it, as translate_bench.cpp does natively.
#include <cstddef>
#include <string>
#include <string_view>

#include "wirecheck/translate.hpp"

namespace {

std::string input;
std::string output;

// Protocol numbers as js/wasm_cases.mjs passes them.
wirecheck::Protocol protocol(int p) {
    constexpr wirecheck::Protocol kByNumber[] = {wirecheck::Protocol::Chat, wirecheck::Protocol::Responses,
                                                 wirecheck::Protocol::Messages};
    return kByNumber[p >= 0 && p < 3 ? p : 0];
}

}  // namespace

extern "C" {

// Where JS writes the next input of `size` bytes.
char* wc_input(std::size_t size) {
    input.resize(size);
    return input.data();
}

// 0 when the request translated (to text, as translate_bench.cpp does), 1 when it was refused.
int wc_translate_request(int from, int to) {
    auto result = wirecheck::translate_request(protocol(from), protocol(to), input);
    if (!result.ok()) return 1;
    output = std::move(result.value().output);
    return 0;
}

// Translates the input as a stream fed in 4 KB reads; returns the output size, -1 on an error.
long wc_translate_stream(int from, int to) {
    constexpr std::size_t kChunk = 4096;
    wirecheck::StreamTranslator translator(protocol(from), protocol(to));
    output.clear();
    wirecheck::Status status;
    for (std::size_t at = 0; status.ok() && at < input.size(); at += kChunk) {
        status = translator.feed(std::string_view(input).substr(at, kChunk), output);
    }
    if (status.ok()) status = translator.finish(output);
    return status.ok() ? static_cast<long>(output.size()) : -1;
}

}  // extern "C"
