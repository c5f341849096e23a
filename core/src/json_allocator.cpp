// Json's node pool (json_allocator.hpp). Every block comes from operator new, so a block freed on
// another thread than the one that allocated it is simply kept by that thread (or deleted).
#include "wirecheck/json_allocator.hpp"

#include <new>

namespace wirecheck::json_pool {
namespace {

constexpr bool kPooled = WIRECHECK_JSON_POOL;
constexpr std::size_t kGrain = 16;
constexpr std::size_t kClasses = 16;        // blocks of 16, 32, ... 256 bytes are kept

struct FreeBlock {
    FreeBlock* next;
};

// Trivially destructible, so it stays usable while the thread's other thread_local objects (and,
// on the main thread, static ones) are destroyed: once `closed`, blocks go straight back.
struct FreeLists {
    FreeBlock* head[kClasses];
    std::size_t kept_bytes;
    bool closed;
};
thread_local FreeLists lists{};

// Hands the kept blocks back when its thread ends; set up when a list of the thread gets its first
// block.
struct Drain {
    bool armed = false;
    ~Drain() {
        lists.closed = true;
        for (std::size_t c = 0; c < kClasses; ++c) {
            while (FreeBlock* block = lists.head[c]) {
                lists.head[c] = block->next;
                ::operator delete(block);
            }
        }
        lists.kept_bytes = 0;
    }
};
thread_local Drain drain;

std::size_t class_of(std::size_t bytes) { return bytes == 0 ? 0 : (bytes - 1) / kGrain; }

}  // namespace

void* allocate(std::size_t bytes) {
    std::size_t c = class_of(bytes);
    if (!kPooled || c >= kClasses) return ::operator new(bytes);
    if (FreeBlock* block = lists.head[c]) {
        lists.head[c] = block->next;
        lists.kept_bytes -= (c + 1) * kGrain;
        return block;
    }
    return ::operator new((c + 1) * kGrain);
}

void deallocate(void* block, std::size_t bytes) noexcept {
    std::size_t c = class_of(bytes);
    std::size_t size = (c + 1) * kGrain;
    if (!kPooled || c >= kClasses || lists.closed || lists.kept_bytes + size > kKeepBytes) {
        ::operator delete(block);
        return;
    }
    if (lists.kept_bytes == 0) drain.armed = true;  // constructs it: its destructor will run
    auto* free_block = static_cast<FreeBlock*>(block);
    free_block->next = lists.head[c];
    lists.head[c] = free_block;
    lists.kept_bytes += size;
}

std::size_t kept_bytes() { return lists.kept_bytes; }

}  // namespace wirecheck::json_pool
