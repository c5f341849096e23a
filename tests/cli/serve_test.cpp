// `wirecheck serve` over real loopback HTTP: MIME types, gzip, path safety, helpful bind errors.
#include <gtest/gtest.h>
#include <httplib.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "running_server.hpp"
#include "static_site.hpp"

namespace wirecheck::cli {
namespace {
namespace fs = std::filesystem;

std::string gunzip(const std::string& data) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK) return {};
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    std::string out;
    int rc = Z_OK;
    while (rc == Z_OK) {
        char buf[4096];
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf, sizeof buf - zs.avail_out);
    }
    inflateEnd(&zs);
    return rc == Z_STREAM_END ? out : std::string();
}

class ServeTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(running_.ok()) << running_.error();
        // The site is read on first request: files written now are served.
        std::filesystem::create_directories(running_.root() / "assets");
        write("index.js", "console.log('hi');");
        wasm_ = std::string("\0asm\1\0\0\0", 8) + std::string(4000, 'w');
        write("index.wasm", wasm_);
        write("assets/layers.json", "[]");
        client_ = std::make_unique<httplib::Client>("127.0.0.1", running_.port());
        client_->set_decompress(false);
    }
    void write(const std::string& rel, const std::string& body) {
        std::ofstream(running_.root() / rel, std::ios::binary) << body;
    }

    test::RunningServer running_;
    std::string wasm_;
    std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServeTest, ServesIndexAndTypedFiles) {
    auto res = client_->Get("/");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(res->body, "<!doctype html><title>t</title>");
    res = client_->Get("/index.wasm");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/wasm");
    EXPECT_EQ(res->body, wasm_);
    res = client_->Get("/assets/layers.json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8");
}

TEST_F(ServeTest, GzipsWasmWhenTheClientAcceptsIt) {
    auto res = client_->Get("/index.wasm", {{"Accept-Encoding", "gzip"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip");
    EXPECT_LT(res->body.size(), wasm_.size());
    EXPECT_EQ(gunzip(res->body), wasm_);
    // JavaScript too, from the cache, even for a client that prefers br (httplib would brotli it
    // afresh on every request, which is slow at its quality setting).
    auto js = client_->Get("/index.js", {{"Accept-Encoding", "gzip, deflate, br"}});
    ASSERT_TRUE(js);
    EXPECT_EQ(js->get_header_value("Content-Encoding"), "gzip");
    EXPECT_EQ(gunzip(js->body), "console.log('hi');");
}

TEST_F(ServeTest, AnswersHeadAnd404AndNeverLeavesTheRoot) {
    auto head = client_->Head("/");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    for (const char* path : {"/missing.js", "/../../etc/passwd", "/assets/../../x", "/assets"}) {
        auto res = client_->Get(path);
        ASSERT_TRUE(res) << path;
        EXPECT_EQ(res->status, 404) << path;
    }
}

TEST_F(ServeTest, PortInUseSaysSoAndSuggestsPort) {
    PlaygroundServer second;
    ServeOptions options;
    options.port = running_.port();
    options.web_root = running_.root().string();
    std::string error;
    EXPECT_FALSE(second.bind(options, error));
    EXPECT_NE(error.find("already in use"), std::string::npos) << error;
    EXPECT_NE(error.find("--port"), std::string::npos) << error;
}

TEST(Serve, MissingWebBuildNamesTheCommandThatBuildsIt) {
    PlaygroundServer server;
    ServeOptions options;
    options.port = 0;
    options.web_root = "/nonexistent/wirecheck/site";
    std::string error;
    EXPECT_FALSE(server.bind(options, error));
    EXPECT_NE(error.find("cmake --preset wasm"), std::string::npos) << error;
}

TEST(StaticSite, MimeTypes) {
    EXPECT_EQ(mime_type_for("a/index.wasm"), "application/wasm");
    EXPECT_EQ(mime_type_for("index.js"), "application/javascript; charset=utf-8");
    EXPECT_EQ(mime_type_for("fonts/ui.otf"), "font/otf");
    EXPECT_EQ(mime_type_for("x.unknown"), "application/octet-stream");
}

}  // namespace
}  // namespace wirecheck::cli
