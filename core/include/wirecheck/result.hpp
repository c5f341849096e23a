// Errors as values: every fallible core function returns Result<T> (or Status). Nothing in the
// core throws across its API, so the Wasm build never dies on an uncaught exception.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "wirecheck/codes.hpp"

namespace wirecheck {

struct Error {
    Code code = Code::Internal;
    std::string pointer;  // RFC 6901 JSON pointer into the input ("" = the whole input)
    std::string message;  // specific, human-readable: what was found and what was expected

    // "json.wrong_type at /messages/0/role: expected a string, got number"
    std::string to_string() const {
        std::string out(code_name(code));
        if (!pointer.empty()) out += " at " + pointer;
        if (!message.empty()) out += ": " + message;
        return out;
    }
};

inline Error make_error(Code code, std::string pointer, std::string message) {
    return Error{code, std::move(pointer), std::move(message)};
}

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
    Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<1>(state_); }

private:
    std::variant<T, Error> state_;
};

// Result of an operation that yields nothing but may fail.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT: implicit by design

    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return error_; }

private:
    Error error_;
    bool failed_ = false;
};

}  // namespace wirecheck
