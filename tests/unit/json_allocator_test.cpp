// Json's node pool: freed small blocks are reused by size class, a bounded number per class, and
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

TEST(JsonPool, KeepsAtMostItsBoundPerClass) {
    // 2048 blocks: more than the list can hold, so whatever earlier tests left on it is taken too.
    std::vector<void*> blocks;
    for (int i = 0; i < 2048; ++i) blocks.push_back(json_pool::allocate(64));
    for (void* b : blocks) json_pool::deallocate(b, 64);
    // The first 1024 freed are kept, the rest deleted; the kept come back last freed first.
    std::set<void*> kept(blocks.begin(), blocks.begin() + 1024);
    std::size_t reused = 0;
    std::vector<void*> again;
    for (int i = 0; i < 1500; ++i) {
        again.push_back(json_pool::allocate(64));
        if (i < 1024) reused += kept.count(again.back());
    }
    EXPECT_EQ(reused, 1024u);
    EXPECT_EQ(again[0], blocks[1023]);
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
