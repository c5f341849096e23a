// Json's node pool: freed small blocks are reused by size class, up to a bound in bytes, and
// a Json can be built on one thread and destroyed on another.
#include "wirecheck/json_allocator.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "wirecheck/json.hpp"

namespace wirecheck {
namespace {

#if WIRECHECK_JSON_POOL  // not in AddressSanitizer builds, which do not pool
TEST(JsonPool, AFreedBlockServesTheNextRequestOfItsSizeClass) {
    void* first = json_pool::allocate(40);
    json_pool::deallocate(first, 40);
    void* again = json_pool::allocate(48);  // 33..48 bytes share a class
    EXPECT_EQ(again, first);
    json_pool::deallocate(again, 48);
    void* other = json_pool::allocate(24);  // another class: not that block
    EXPECT_NE(other, first);
    json_pool::deallocate(other, 24);
}

TEST(JsonPool, KeepsAtMostItsBoundInBytes) {
    // Twice the bound in 64-byte blocks: whatever earlier tests left in this class is taken too.
    constexpr std::size_t kBlocks = 2 * json_pool::kKeepBytes / 64;
    std::vector<void*> blocks;
    for (std::size_t i = 0; i < kBlocks; ++i) blocks.push_back(json_pool::allocate(64));
    std::size_t before = json_pool::kept_bytes();  // other classes' blocks
    for (void* b : blocks) json_pool::deallocate(b, 64);
    // The first freed are kept until the bound, the rest deleted; kept ones come back last first.
    std::size_t kept = (json_pool::kKeepBytes - before) / 64;
    EXPECT_EQ(json_pool::kept_bytes(), before + kept * 64);
    std::set<void*> kept_blocks(blocks.begin(), blocks.begin() + kept);
    std::vector<void*> again;
    std::size_t reused = 0;
    for (std::size_t i = 0; i < kept + 100; ++i) {
        again.push_back(json_pool::allocate(64));
        reused += kept_blocks.count(again.back());
    }
    EXPECT_EQ(reused, kept);
    EXPECT_EQ(again[0], blocks[kept - 1]);
    EXPECT_EQ(json_pool::kept_bytes(), before);
    for (void* b : again) json_pool::deallocate(b, 64);
}
#endif

#ifndef __EMSCRIPTEN__  // the Wasm build has no threads
TEST(JsonPoolThreads, AJsonBuiltOnOneThreadIsDestroyedOnAnother) {
    Json built;
    std::thread maker([&] {
        built = parse_json(R"({"a":[1,"two",{"three":3}],"b":"a string longer than fifteen bytes"})")
                    .value();
    });
    maker.join();
    EXPECT_EQ(built["a"][2]["three"], 3);
    std::thread destroyer([moved = std::move(built)]() mutable { moved = Json(); });
    destroyer.join();
    // The destroying thread kept the blocks and drained them when it ended; this thread goes on.
    Json next = parse_json(R"({"c":[true,false]})").value();
    EXPECT_EQ(dump_json(next), R"({"c":[true,false]})");
}
#endif

}  // namespace
}  // namespace wirecheck
