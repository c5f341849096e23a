// Share links and embed mode (share_link.hpp).
#include "share_link.hpp"

#include <cstdlib>
#include <utility>
#include <vector>

namespace wirecheck::web {
namespace {

std::vector<std::pair<std::string, std::string>> split_pairs(const std::string& hash) {
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t start = 0;
    while (start <= hash.size()) {
        std::size_t end = hash.find('&', start);
        if (end == std::string::npos) end = hash.size();
        std::string part = hash.substr(start, end - start);
        std::size_t eq = part.find('=');
        if (!part.empty()) {
            out.emplace_back(url_decode(part.substr(0, eq)),
                             eq == std::string::npos ? "" : url_decode(part.substr(eq + 1)));
        }
        start = end + 1;
    }
    return out;
}

}  // namespace

std::string url_encode(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     c == '-' || c == '_' || c == '.' || c == '~';
        if (plain) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string url_decode(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            char hex[3] = {text[i + 1], text[i + 2], 0};
            char* end = nullptr;
            long v = std::strtol(hex, &end, 16);
            if (end == hex + 2) {
                out += static_cast<char>(v);
                i += 2;
                continue;
            }
        }
        out += text[i] == '+' ? ' ' : text[i];
    }
    return out;
}

std::string tab_name(Tab tab) {
    switch (tab) {
        case Tab::Evidence:
            return "evidence";
        case Tab::Translate:
            return "translate";
        case Tab::Learn:
            return "learn";
        case Tab::Overview:
            break;
    }
    return "overview";
}

std::string share_hash(const AppState& state) {
    const ConnectionForm& f = state.connection;
    std::vector<std::pair<std::string, std::string>> pairs;
    if (f.simulated) {
        pairs.emplace_back("scenario", f.scenario);
    } else {
        pairs.emplace_back("base", f.base_url);
        pairs.emplace_back("model", f.model);
        if (!f.chat_base_url.empty()) pairs.emplace_back("chat_base", f.chat_base_url);
        if (!f.responses_base_url.empty()) pairs.emplace_back("responses_base", f.responses_base_url);
        if (!f.messages_base_url.empty()) pairs.emplace_back("messages_base", f.messages_base_url);
        if (f.budget != ConnectionForm{}.budget) pairs.emplace_back("budget", std::to_string(f.budget));
    }
    if (state.tab != Tab::Overview) pairs.emplace_back("tab", tab_name(state.tab));
    if (state.lang == Language::Chinese) pairs.emplace_back("lang", "zh");
    std::string out;
    for (const auto& [k, v] : pairs) out += (out.empty() ? "" : "&") + k + "=" + url_encode(v);
    return out;
}

bool apply_hash(const std::string& hash, AppState& state) {
    bool run = false;
    ConnectionForm& f = state.connection;
    for (const auto& [key, value] : split_pairs(hash)) {
        if (key == "embed") {
            state.embed = true;
        } else if (key == "scenario" && builtin_simulator(value)) {
            f.simulated = true;
            f.scenario = value;
            run = true;
        } else if (key == "base") {
            f.simulated = false;
            f.base_url = value;
        } else if (key == "model") {
            f.model = value;
        } else if (key == "chat_base") {
            f.chat_base_url = value;
        } else if (key == "responses_base") {
            f.responses_base_url = value;
        } else if (key == "messages_base") {
            f.messages_base_url = value;
        } else if (key == "budget") {
            int b = std::atoi(value.c_str());
            if (b >= 16 && b <= 1000000) f.budget = b;
        } else if (key == "tab" || key == "panel") {
            for (Tab t : {Tab::Overview, Tab::Evidence, Tab::Translate, Tab::Learn}) {
                if (value == tab_name(t)) state.tab = t;
            }
            if (value == "verdicts" || value == "layers") state.tab = Tab::Overview;
        } else if (key == "lang") {
            state.lang = value == "zh" ? Language::Chinese : Language::English;
        } else if (key == "run") {
            run = true;
        }
        // "key" / "api_key" are ignored: a key never travels in a URL.
    }
    return run;
}

}  // namespace wirecheck::web
