// The allocator of Json's own nodes: the string, object and array values, std::map's nodes and
// small array buffers. A translation builds and frees a DOM of thousands of such blocks; glibc's
// per-thread cache keeps only 7 free blocks per size, so most of them took malloc's slow path (a
// third of a Claude Code request's translation, callgrind). Blocks up to 256 bytes are kept on a
// per-thread free list instead (up to 1 MiB a thread), and the next document reuses them.
#pragma once

#include <cstddef>

// AddressSanitizer must see every free, or a use after free of a Json node would go unnoticed: its
// builds pass every block straight to operator new and delete.
#if defined(__SANITIZE_ADDRESS__)
#define WIRECHECK_JSON_POOL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WIRECHECK_JSON_POOL 0
#endif
#endif
#ifndef WIRECHECK_JSON_POOL
#define WIRECHECK_JSON_POOL 1
#endif

namespace wirecheck {
namespace json_pool {
// Bytes of free blocks a thread keeps at most. Translating the 160 kB 200-turn chat request frees
// up to 0.38 MB at once: kept whole, the next request of that size takes none from malloc (a cap
// of 1024 blocks per size sent 2,200 blocks a request to malloc and back, 4.5% of its
// instructions).
inline constexpr std::size_t kKeepBytes = 1u << 20;

void* allocate(std::size_t bytes);
void deallocate(void* block, std::size_t bytes) noexcept;
std::size_t kept_bytes();  // this thread's free blocks, in bytes
}  // namespace json_pool

// Stateless, as nlohmann::basic_json requires of its AllocatorType.
template <class T>
struct JsonAllocator {
    using value_type = T;
    JsonAllocator() = default;
    template <class U>
    JsonAllocator(const JsonAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(json_pool::allocate(n * sizeof(T))); }
    void deallocate(T* p, std::size_t n) noexcept { json_pool::deallocate(p, n * sizeof(T)); }
    friend bool operator==(const JsonAllocator&, const JsonAllocator&) { return true; }
    friend bool operator!=(const JsonAllocator&, const JsonAllocator&) { return false; }
};

}  // namespace wirecheck
