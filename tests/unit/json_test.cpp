// parse_json: limits and specific errors for untrusted bodies; pointer helpers; the code list.
#include "wirecheck/json.hpp"

#include <gtest/gtest.h>

#include <set>

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
