// Shared helpers for the libFuzzer targets (tests/fuzz/README section in the top-level README).
// Targets must never crash, hang or leak on any input; where the core documents an invariant
// (output independent of chunking) the target checks it and aborts, so libFuzzer reports it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "wirecheck/model.hpp"

namespace wirecheck::fuzz {

inline std::string_view as_view(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Takes the first byte of the input (0 when empty): the targets use it to pick a protocol,
// a direction or a chunk size, so one corpus covers every variant.
inline std::uint8_t take_selector(std::string_view& input) {
    if (input.empty()) return 0;
    auto b = static_cast<std::uint8_t>(input.front());
    input.remove_prefix(1);
    return b;
}

constexpr Protocol protocol_of(unsigned n) { return static_cast<Protocol>(n % 3); }

// Cuts `bytes` into pieces of 1..16 bytes, sizes derived from `seed`, so chunk boundaries fall
// inside lines, between CR and LF and inside UTF-8 sequences.
inline std::vector<std::string_view> chunked(std::string_view bytes, std::uint8_t seed) {
    std::vector<std::string_view> pieces;
    unsigned state = seed | 1u;
    while (!bytes.empty()) {
        state = state * 1103515245u + 12345u;
        std::size_t n = 1 + (state >> 16) % 16;
        if (n > bytes.size()) n = bytes.size();
        pieces.push_back(bytes.substr(0, n));
        bytes.remove_prefix(n);
    }
    return pieces;
}

// A documented invariant was broken: abort so libFuzzer saves the input as a crash.
[[noreturn]] inline void invariant_broken(const char* what) {
    std::fprintf(stderr, "wirecheck fuzz invariant broken: %s\n", what);
    std::abort();
}

}  // namespace wirecheck::fuzz
