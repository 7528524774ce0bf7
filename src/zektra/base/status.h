// Status and Result: how untrusted input reports failure (STYLE.md, tier 2).
//
// Library code never throws past its API for bad input; it returns a Status with a
// code and a human-readable reason. Broken internal invariants are a different tier:
// ZK_CHECK aborts with a message, because continuing would be unsafe.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace zektra {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // caller passed something malformed (usage)
  kBadInput,         // a file, proof or message is malformed or inconsistent
  kIoError,          // the OS refused a read or write
  kRejected,         // a proof or check was well-formed but false
  kOutOfRange,       // a value exceeds what the proof system supports
  kInternal,
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return Status(StatusCode::kInvalidArgument, std::move(m)); }
  static Status BadInput(std::string m) { return Status(StatusCode::kBadInput, std::move(m)); }
  static Status IoError(std::string m) { return Status(StatusCode::kIoError, std::move(m)); }
  static Status Rejected(std::string m) { return Status(StatusCode::kRejected, std::move(m)); }
  static Status OutOfRange(std::string m) { return Status(StatusCode::kOutOfRange, std::move(m)); }
  static Status Internal(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Prefixes context ("proof.bin: ") to the reason; keeps the code.
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    return Status(code_, context + ": " + message_);
  }

 private:
  Status(StatusCode c, std::string m) : code_(c), message_(std::move(m)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status saying why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) status_ = Status::Internal("Result built from an OK status without a value");
  }
  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { check(); return *value_; }
  const T& value() const& { check(); return *value_; }
  T&& value() && { check(); return std::move(*value_); }
  T* operator->() { check(); return &*value_; }
  const T* operator->() const { check(); return &*value_; }
  T& operator*() & { check(); return *value_; }
  const T& operator*() const& { check(); return *value_; }

 private:
  void check() const {
    if (!value_) {
      std::fprintf(stderr, "zektra: Result accessed without a value: %s\n", status_.message().c_str());
      std::abort();
    }
  }
  std::optional<T> value_;
  Status status_;
};

[[noreturn]] inline void CheckFailed(const char* file, int line, const char* cond, const char* why) {
  std::fprintf(stderr, "zektra: invariant broken at %s:%d: %s (%s)\n", file, line, cond, why);
  std::abort();
}

}  // namespace zektra

// Aborts when an internal invariant is broken. Never use for untrusted input.
#define ZK_CHECK(cond, why)                                               \
  do {                                                                    \
    if (!(cond)) ::zektra::CheckFailed(__FILE__, __LINE__, #cond, (why)); \
  } while (0)

// Returns the Status from the enclosing function when it is not OK.
#define ZK_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::zektra::Status zk_status_ = (expr);    \
    if (!zk_status_.ok()) return zk_status_; \
  } while (0)

#define ZK_CONCAT_INNER(a, b) a##b
#define ZK_CONCAT(a, b) ZK_CONCAT_INNER(a, b)
// `ZK_ASSIGN_OR_RETURN(auto x, Foo());`
#define ZK_ASSIGN_OR_RETURN(lhs, expr) ZK_ASSIGN_OR_RETURN_IMPL(ZK_CONCAT(zk_result_, __LINE__), lhs, expr)
#define ZK_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
