// The incremental SSE parser: framing rules from the WHATWG spec, arbitrary chunking, limits.
#include "wirecheck/sse.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"

namespace wirecheck {
namespace {

std::vector<SseEvent> parse_in(const std::vector<std::string>& pieces, Status* final = nullptr) {
    SseParser parser;
    std::vector<SseEvent> events;
    for (const auto& piece : pieces) {
        Status s = parser.feed(piece, events);
        if (!s.ok()) {
            if (final) *final = s;
            return events;
        }
    }
    Status s = parser.finish(events);
    if (final) *final = s;
    return events;
}

std::vector<SseEvent> parse_all(const std::string& text) { return parse_in({text}); }

TEST(SseParser, ParsesEventNameDataAndId) {
    auto events = parse_all("event: response.created\nid: 7\ndata: {\"a\":1}\n\n");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].event, "response.created");
    EXPECT_EQ(events[0].data, "{\"a\":1}");
    EXPECT_EQ(events[0].id, "7");
    EXPECT_FALSE(events[0].unterminated);
}

TEST(SseParser, AcceptsLfCrlfAndCrLineEnds) {
    for (const char* eol : {"\n", "\r\n", "\r"}) {
        std::string e = eol;
        auto events = parse_all("data: one" + e + e + "event: x" + e + "data: two" + e + e);
        ASSERT_EQ(events.size(), 2u) << "line end " << (e == "\r" ? "CR" : e == "\n" ? "LF" : "CRLF");
        EXPECT_EQ(events[0].data, "one");
        EXPECT_EQ(events[1].event, "x");
        EXPECT_EQ(events[1].data, "two");
    }
}

TEST(SseParser, JoinsMultiLineDataWithNewlines) {
    auto events = parse_all("data: first\ndata:second\ndata\n\n");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data, "first\nsecond\n");
}

TEST(SseParser, StripsExactlyOneLeadingSpace) {
    auto events = parse_all("data:  two spaces\n\n");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data, " two spaces");
}

TEST(SseParser, CountsCommentsAndIgnoresUnknownFields) {
    SseParser parser;
    std::vector<SseEvent> events;
    ASSERT_TRUE(parser.feed(": ping\n:another\nfoo: bar\ndata: x\n\n", events).ok());
    EXPECT_EQ(parser.comment_count(), 2u);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data, "x");
}

TEST(SseParser, BlankLineWithoutDataDispatchesNothingAndResetsEventName) {
    auto events = parse_all("event: lonely\n\ndata: x\n\n");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].event, "");
}

TEST(SseParser, RecognisesDoneSentinel) {
    auto events = parse_all("data: {\"x\":1}\n\ndata: [DONE]\n\n");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_FALSE(events[0].is_done());
    EXPECT_TRUE(events[1].is_done());
}

TEST(SseParser, IdIsStickyAndIgnoredWhenItHoldsNul) {
    auto events = parse_all(std::string("id: a\ndata: 1\n\ndata: 2\n\nid: b\0c\ndata: 3\n\n", 40));
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].id, "a");
    EXPECT_EQ(events[1].id, "a");
    EXPECT_EQ(events[2].id, "a");
}

TEST(SseParser, RetryTakesDigitsOnly) {
    auto events = parse_all("retry: 1500\ndata: a\n\nretry: 15x\ndata: b\n\n");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].retry, 1500);
    EXPECT_FALSE(events[1].retry.has_value());
}

TEST(SseParser, SkipsUtf8BomOnlyAtStreamStart) {
    auto events = parse_in({"\xEF", "\xBB", "\xBF" "data: a\n\n"});
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data, "a");
    // A BOM later in the stream is data, not a marker.
    events = parse_all("data: a\n\ndata: \xEF\xBB\xBFz\n\n");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].data, "\xEF\xBB\xBFz");
}

TEST(SseParser, ShortStreamOfBomPrefixIsEmpty) {
    Status status;
    auto events = parse_in({"\xEF\xBB"}, &status);
    EXPECT_TRUE(status.ok());
    EXPECT_TRUE(events.empty());
}

TEST(SseParser, UnterminatedLastEventIsDeliveredAndFlagged) {
    auto events = parse_all("data: a\n\ndata: tail");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_FALSE(events[0].unterminated);
    EXPECT_TRUE(events[1].unterminated);
    EXPECT_EQ(events[1].data, "tail");
}

TEST(SseParser, SameEventsForEveryChunking) {
    const std::string stream =
        "\xEF\xBB\xBF: comment\r\nevent: message_start\r\ndata: {\"type\":\"message_start\"}\r\n\r\n"
        "event: ping\rdata: {}\r\revent: delta\ndata: {\"t\":\"h\xC3\xA9llo\"}\ndata: more\n\n"
        "id: 42\ndata: [DONE]\n\n";
    auto whole = parse_all(stream);
    ASSERT_EQ(whole.size(), 4u);
    EXPECT_EQ(whole[2].data, "{\"t\":\"h\xC3\xA9llo\"}\nmore");
    for (std::size_t size = 1; size <= 8; ++size) {
        auto split = parse_in(test::chunks_of(stream, size));
        ASSERT_EQ(split.size(), whole.size()) << "chunk size " << size;
        for (std::size_t i = 0; i < whole.size(); ++i) {
            EXPECT_EQ(split[i].event, whole[i].event);
            EXPECT_EQ(split[i].data, whole[i].data);
            EXPECT_EQ(split[i].id, whole[i].id);
        }
    }
    for (unsigned seed = 1; seed <= 50; ++seed) {
        auto split = parse_in(test::random_chunks(stream, seed));
        ASSERT_EQ(split.size(), whole.size()) << "seed " << seed;
        for (std::size_t i = 0; i < whole.size(); ++i) EXPECT_EQ(split[i].data, whole[i].data);
    }
}

TEST(SseParser, CrAtChunkEndFollowedByLfIsOneLineEnd) {
    auto events = parse_in({"data: a\r", "\n\r", "\ndata: b\n\n"});
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].data, "a");
    EXPECT_EQ(events[1].data, "b");
}

TEST(SseParser, RefusesAnEventLargerThanTheLimitAndStaysFailed) {
    SseParser parser(SseLimits{1024});
    std::vector<SseEvent> events;
    Status s = parser.feed("data: " + std::string(2000, 'x'), events);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, Code::SseEventTooLarge);
    EXPECT_FALSE(parser.feed("\n\ndata: ok\n\n", events).ok());
    EXPECT_TRUE(events.empty());

    SseParser lines(SseLimits{1024});
    std::string many;
    for (int i = 0; i < 100; ++i) many += "data: 0123456789abcdef\n";
    s = lines.feed(many, events);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, Code::SseEventTooLarge);
}

TEST(SseParser, OneMegabyteLineWithinLimitParses) {
    std::string big(1 << 20, 'y');
    auto events = parse_in(test::chunks_of("data: " + big + "\n\n", 4096));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].data.size(), big.size());
}

TEST(SseWriter, FramesEventAndSplitsMultiLineData) {
    EXPECT_EQ(sse_frame("response.created", "{\"a\":1}"), "event: response.created\ndata: {\"a\":1}\n\n");
    EXPECT_EQ(sse_frame("", "[DONE]"), "data: [DONE]\n\n");
    EXPECT_EQ(sse_frame("x", "a\nb"), "event: x\ndata: a\ndata: b\n\n");
}

TEST(SseWriter, RoundTripsThroughTheParser) {
    std::string data = "line1\nline2\n\nline4";
    auto events = parse_all(sse_frame("multi", data));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].event, "multi");
    EXPECT_EQ(events[0].data, data);
}

}  // namespace
}  // namespace wirecheck
