// Helpers shared by the unit tests: paths to the repo and shared/ fixtures, file reading, and
// splitting input into chunks. Tests (not the core) may do I/O.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace wirecheck::test {

inline std::string source_path(const std::string& relative) {
    return std::string(WIRECHECK_SOURCE_DIR) + "/" + relative;
}
inline std::string shared_path(const std::string& relative) {
    return std::string(WIRECHECK_SHARED_DIR) + "/" + relative;
}

// Returns the whole file, or "" (and sets *ok=false) when it cannot be read.
inline std::string read_file(const std::string& path, bool* ok = nullptr) {
    std::ifstream in(path, std::ios::binary);
    if (ok) *ok = static_cast<bool>(in);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

// Splits `text` into pieces of `size` bytes (the last may be shorter).
inline std::vector<std::string> chunks_of(const std::string& text, std::size_t size) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < text.size(); i += size) out.push_back(text.substr(i, size));
    return out;
}

// Deterministic pseudo-random split (xorshift), so failures reproduce.
inline std::vector<std::string> random_chunks(const std::string& text, unsigned seed,
                                              std::size_t max_size = 17) {
    std::vector<std::string> out;
    unsigned state = seed ? seed : 1;
    for (std::size_t i = 0; i < text.size();) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        std::size_t n = 1 + state % max_size;
        out.push_back(text.substr(i, n));
        i += n;
    }
    return out;
}

}  // namespace wirecheck::test
