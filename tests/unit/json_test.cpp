// parse_json: limits and specific errors for untrusted bodies, values as nlohmann parses them;
// dump_json as nlohmann writes; pointer helpers; the code list.
#include "wirecheck/json.hpp"
#include "wirecheck/json_writer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <vector>

#include "test_util.hpp"

namespace wirecheck {
namespace {

TEST(ParseJson, ParsesValidDocuments) {
    auto r = parse_json(R"({"a":[1,2,{"b":"c"}],"d":null})");
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ((*r)["a"][2]["b"], "c");
}

TEST(ParseJson, MalformedJsonNamesTheByteOffset) {
    auto r = parse_json(R"({"a": 1,})");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Code::JsonMalformed);
    EXPECT_NE(r.error().message.find("byte"), std::string::npos) << r.error().message;
}

TEST(ParseJson, TruncatedAndEmptyBodiesAreMalformed) {
    for (const char* text : {"", "{", R"({"a":")", "[1,2", "nul"}) {
        auto r = parse_json(text);
        ASSERT_FALSE(r.ok()) << text;
        EXPECT_EQ(r.error().code, Code::JsonMalformed) << text;
    }
}

TEST(ParseJson, InvalidUtf8IsItsOwnError) {
    auto r = parse_json("{\"a\":\"\xC3\x28\"}");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Code::JsonInvalidUtf8) << r.error().to_string();
    auto lone = parse_json(R"({"a":"\ud800"})");
    ASSERT_FALSE(lone.ok());
    EXPECT_EQ(lone.error().code, Code::JsonInvalidUtf8) << lone.error().to_string();
}

TEST(ParseJson, RefusesNestingDeeperThanTheLimit) {
    std::string deep(200, '[');
    deep += std::string(200, ']');
    auto r = parse_json(deep);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Code::JsonTooDeep);
    std::string ok(100, '[');
    ok += std::string(100, ']');
    EXPECT_TRUE(parse_json(ok).ok());
    // Far deeper input must not exhaust the stack either.
    std::string very_deep(1000000, '[');
    auto v = parse_json(very_deep);
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.error().code, Code::JsonTooDeep);
}

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(ParseJson, DepthLimitIsExact) {
    // Both parsers (simdjson's fast path, nlohmann's for errors) draw the line at the same depth,
    // also when consecutive calls ask for different limits.
    for (std::size_t limit : {std::size_t{128}, std::size_t{1}, std::size_t{3}, std::size_t{128}}) {
        JsonLimits limits;
        limits.max_depth = limit;
        EXPECT_TRUE(parse_json(nested(limit), limits).ok()) << limit;
        auto r = parse_json(nested(limit + 1), limits);
        ASSERT_FALSE(r.ok()) << limit;
        EXPECT_EQ(r.error().code, Code::JsonTooDeep) << limit;
        std::string object = "{\"a\":" + (limit > 1 ? nested(limit - 1) : "0") + "}";
        EXPECT_TRUE(parse_json(object, limits).ok()) << object;
    }
}

// parse_json must give exactly what nlohmann's own parser gives (value and serialisation): the
// reference here is Json::parse, the fast path is simdjson.
void expect_same_as_nlohmann(const std::string& text) {
    auto ours = parse_json(text);
    ASSERT_TRUE(ours.ok()) << ours.error().to_string() << " in " << text.substr(0, 200);
    Json reference = Json::parse(text);
    EXPECT_EQ(*ours, reference) << text.substr(0, 200);
    EXPECT_EQ(ours->dump(), reference.dump()) << text.substr(0, 200);
}

TEST(ParseJson, ValuesMatchNlohmannsParserExactly) {
    for (const char* text : {
             "0", "-0", "-0.0", "1.0", "1E2", "1e-400", "0.1", "1.7976931348623157e308", "5e-324",
             "9223372036854775807", "-9223372036854775808", "9223372036854775808",
             "18446744073709551615", "123456789012345678901234567890", "true", "null", "\"\"",
             R"({"a":1,"a":2,"b":{"c":[],"c":{}}})", R"(["\u0000\/\b\f\n\r\t\"\\"])",
             R"(["\ud83d\ude00 é 深度求索"])", R"({"":[{}],"x":[[[]]]})", " \t\r\n[1 , 2]\n "}) {
        expect_same_as_nlohmann(text);
    }
}

TEST(ParseJson, CapturedClientBodiesMatchNlohmannsParserExactly) {
    for (const char* name : {"claude-thinking-turn1.json", "claude-thinking-turn2.json", "claude-turn1.json",
                             "claude-turn2.json", "codex-classic-turn1.json", "codex-classic-turn2.json",
                             "codex-turn1.json", "codex-turn2.json", "sdk-anthropic-messages-turn1.json",
                             "sdk-openai-responses-turn1.json"}) {
        bool ok = false;
        std::string text = test::read_file(test::shared_path(std::string("fixtures/captures/") + name), &ok);
        ASSERT_TRUE(ok) << name;
        expect_same_as_nlohmann(text);
        Json capture = Json::parse(text);
        expect_same_as_nlohmann(capture["body_json"].dump());
    }
}

std::string nlohmann_dump(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

TEST(DumpJson, WritesExactlyWhatNlohmannWrites) {
    Json strings = Json::array();
    for (std::string text : {std::string("plain"), std::string("quote \" and \\ slash /"),
                             std::string("\b\f\n\r\t"), std::string("\x01\x1f\x7f", 3),
                             std::string("nul \0 inside", 13), std::string("é 深度求索 😀"),
                             std::string("bad \xC3\x28 byte"), std::string("cut \xE6\xB7"),
                             std::string("surrogate \xED\xA0\x80"), std::string("overlong \xC0\xAF"), std::string()}) {
        strings.push_back(text);
    }
    Json doc = {{"strings", strings},
                {"numbers", {0, -1, 9223372036854775807LL, 18446744073709551615ULL, 0.1, -0.0, 1.0, 1e300,
                             2.5e-8}},
                {"nested", {{"a", Json::object()}, {"b", Json::array()}, {"c", nullptr}, {"d", true}}},
                {"bad \xFF key", false}};
    EXPECT_EQ(dump_json(doc), nlohmann_dump(doc));
    for (const Json& s : strings) {
        EXPECT_EQ(dump_json(s), nlohmann_dump(s)) << nlohmann_dump(s);
        std::string appended = "x";
        append_json_string(s.get_ref<const std::string&>(), appended);
        EXPECT_EQ(appended, "x" + nlohmann_dump(s));
    }
    EXPECT_EQ(dump_json(Json(std::nan(""))), "null");
}

// dump_json skips plain runs 16 or 8 bytes at a time: every special byte at every position
// around those block edges, in strings of every length up to 40, must still come out as
// nlohmann writes it (escaped, copied, or the whole string replaced when it is not UTF-8).
TEST(DumpJson, SpecialBytesAtEveryPositionOfABlock) {
    const std::string specials[] = {"\"", "\\", "\n", std::string("\x01"), std::string("\x1f"),
                                    std::string("\x7f"), "\xC3\xA9", "\xE6\xB7\xB1", "\xFF", "\xC3"};
    for (std::size_t size = 0; size <= 40; ++size) {
        for (std::size_t at = 0; at <= size; ++at) {
            for (const std::string& special : specials) {
                std::string text = std::string(at, 'a') + special + std::string(size - at, 'b');
                Json value(text);
                ASSERT_EQ(dump_json(value), nlohmann_dump(value)) << nlohmann_dump(value);
                std::string appended = "x";
                append_json_string(text, appended);
                ASSERT_EQ(appended, "x" + nlohmann_dump(value)) << nlohmann_dump(value);
            }
        }
    }
    // Long strings are measured before they are written (room_for_string): escapes of both
    // lengths, non-ASCII and one bad byte, each in a string above that threshold.
    std::string escapes;
    for (int i = 0; i < 2000; ++i) escapes += std::string("ab\"\x01\n\xC3\xA9", 7);
    for (const std::string& text : {escapes, escapes + "\xFF"}) {
        Json value(text);
        EXPECT_EQ(dump_json(value), nlohmann_dump(value));
        std::string appended = "x";
        append_json_string(text, appended);
        EXPECT_EQ(appended, "x" + nlohmann_dump(value));
    }
    // Valid UTF-8 first, a bad byte far behind it: the whole string is still replaced.
    Json late(std::string(100, 'a') + "\xC3\xA9" + std::string(100, 'b') + "\xFF");
    EXPECT_EQ(dump_json(late), nlohmann_dump(late));
}

// Object keys are ordered by bytes (JsonKeyLess), as std::map<std::string, ...> orders them, so
// output keeps nlohmann's default key order.
TEST(DumpJson, KeysComeOutInByteOrder) {
    const std::string keys[] = {"", "a", "ab", "aB", "b", "B", "_", "~", "\x7f", "\x80", "\xC3\xA9",
                                "\xff", "model", "messages", "max_tokens", "m"};
    Json object = Json::object();
    std::map<std::string, int> expected;
    for (const std::string& key : keys) {
        object[key] = 1;
        expected[key] = 1;
    }
    std::vector<std::string> order;
    for (auto it = object.begin(); it != object.end(); ++it) order.push_back(it.key());
    std::vector<std::string> expected_order;
    for (const auto& entry : expected) expected_order.push_back(entry.first);
    EXPECT_EQ(order, expected_order);
}

// release_json empties a document leaves first; deeper than its recursion bound, nlohmann's own
// destructor takes the rest.
TEST(ReleaseJson, EmptiesDeepAndWideDocuments) {
    Json deep = Json::array();
    Json* at = &deep;
    for (int i = 0; i < 1000; ++i) {
        at->push_back(Json::object({{"k", Json::array()}}));
        at = &(*at)[0]["k"];
    }
    release_json(deep);
    EXPECT_TRUE(deep.is_null());
    auto wide = parse_json(test::read_file(test::shared_path("fixtures/captures/claude-turn2.json")));
    ASSERT_TRUE(wide.ok());
    release_json(wide.value());
    EXPECT_TRUE(wide.value().is_null());
}

TEST(DumpJson, CapturedClientBodiesDumpExactlyAsNlohmann) {
    for (const char* name : {"claude-thinking-turn1.json", "claude-turn2.json", "codex-turn1.json",
                             "codex-classic-turn2.json", "sdk-openai-responses-turn1.json"}) {
        Json capture = Json::parse(test::read_file(test::shared_path(std::string("fixtures/captures/") + name)));
        EXPECT_EQ(dump_json(capture), nlohmann_dump(capture)) << name;
    }
}

TEST(ParseJson, RefusesBodiesOverTheSizeLimitBeforeParsing) {
    JsonLimits limits;
    limits.max_bytes = 1000;
    auto r = parse_json(std::string(1001, ' '), limits);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Code::JsonTooLarge);
}

TEST(ParseJson, ParsesATenMegabyteBody) {
    std::string big = "{\"text\":\"" + std::string(10u << 20, 'a') + "\"}";
    auto r = parse_json(big);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ((*r)["text"].get_ref<const std::string&>().size(), 10u << 20);
}

// ---- JsonWriter: the request encoders' output --------------------------------------------------

TEST(JsonWriter, WritesMembersInOrderWithCommasWhereTheyBelong) {
    JsonWriter w;
    w.begin_object().key("model").string("m").key("input").begin_array();
    w.begin_object().key("type").string("message").end_object();
    w.begin_array().end_array().integer(-3).number(0.1).boolean(false).null();
    w.end_array().key("empty").begin_object().end_object().key("n").integer(9223372036854775807LL);
    w.end_object();
    EXPECT_EQ(w.take(), R"({"model":"m","input":[{"type":"message"},[],-3,0.1,false,null],)"
                        R"("empty":{},"n":9223372036854775807})");
    // take() leaves an empty writer behind: the next value starts without a comma.
    w.begin_array().string("again").end_array();
    EXPECT_EQ(w.take(), R"(["again"])");
}

// Strings, numbers and embedded Json values are the bytes dump_json writes for them (invalid
// UTF-8 becomes U+FFFD), so a body reads the same whichever way it was written.
TEST(JsonWriter, ValuesAreTheBytesDumpJsonWrites) {
    const std::string texts[] = {"plain", "quote \" and \\ slash /", "\b\f\n\r\t",
                                 std::string("nul \0 inside", 13), "é 深度求索 😀",
                                 "bad \xC3\x28 byte", "cut \xE6\xB7", std::string(5000, '\n')};
    for (const std::string& text : texts) {
        JsonWriter w;
        w.begin_object().key(text).string(text).end_object();
        Json expected = Json::object();
        expected[text] = text;
        EXPECT_EQ(w.take(), dump_json(expected)) << nlohmann_dump(Json(text));
    }
    for (double d : {0.1, -0.0, 1.0, 1e300, 2.5e-8, 0.7, 1e21, 123456789.0, 5e-324,
                     std::numeric_limits<double>::max(), std::nan(""),
                     -std::numeric_limits<double>::infinity()}) {
        JsonWriter w;
        w.number(d);
        EXPECT_EQ(w.take(), dump_json(Json(d)));
    }
    Json doc = Json::parse(R"({"b":[1,{"x":"\u00e9"}],"a":null,"c":1.5})");
    doc["bad"] = "\xFF";
    JsonWriter w;
    w.begin_array().json(doc).json(Json()).end_array();
    EXPECT_EQ(w.take(), "[" + dump_json(doc) + ",null]");
}

#if !defined(NDEBUG) && GTEST_HAS_DEATH_TEST
// Debug builds (the ASan suite) stop on an encoder that would write broken or ambiguous JSON.
TEST(JsonWriterDeathTest, DebugBuildsStopOnMisuse) {
    EXPECT_DEATH({ JsonWriter w; w.begin_object().string("no key"); }, "");
    EXPECT_DEATH({ JsonWriter w; w.begin_object().key("a").integer(1).key("a").integer(2); }, "");
    EXPECT_DEATH({ JsonWriter w; w.begin_array().key("a"); }, "");
    EXPECT_DEATH({ JsonWriter w; w.begin_object().key("a").end_object(); }, "");
    EXPECT_DEATH({ JsonWriter w; w.begin_array().end_object(); }, "");
    EXPECT_DEATH({ JsonWriter w; w.begin_array(); w.take(); }, "");
}
#endif

TEST(JsonPointer, EscapesReferenceTokens) {
    EXPECT_EQ(pointer_join("", "messages"), "/messages");
    EXPECT_EQ(pointer_join("/messages", 3), "/messages/3");
    EXPECT_EQ(pointer_join("/a", "b/c~d"), "/a/b~1c~0d");
}

TEST(Codes, NamesAreUniqueAndDocumented) {
    std::set<std::string_view> names;
    std::string docs = test::read_file(test::source_path("docs/codes.md"));
    ASSERT_FALSE(docs.empty()) << "docs/codes.md is missing";
    for (const auto& info : kCodeInfos) {
        EXPECT_TRUE(names.insert(info.name).second) << "duplicate code name " << info.name;
        EXPECT_EQ(&code_info(info.code), &info);
        EXPECT_NE(docs.find("`" + std::string(info.name) + "`"), std::string::npos)
            << "docs/codes.md does not document " << info.name;
    }
}

TEST(ErrorValue, FormatsCodePointerAndMessage) {
    Error e = make_error(Code::JsonWrongType, "/messages/0/role", "expected a string, got number");
    EXPECT_EQ(e.to_string(), "json.wrong_type at /messages/0/role: expected a string, got number");
}

}  // namespace
}  // namespace wirecheck
