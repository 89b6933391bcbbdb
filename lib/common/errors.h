// Helpers to raise heliosdb::Error with a SQLSTATE from sqlstate.h and a fmt-formatted message.
#pragma once

#include <fmt/format.h>

#include "common/sqlstate.h"
#include "heliosdb/error.h"

namespace heliosdb {

template <class... Args>
[[noreturn]] void raise(const char* sqlstate, fmt::format_string<Args...> f, Args&&... args) {
  throw Error(sqlstate, fmt::format(f, std::forward<Args>(args)...));
}

template <class... Args>
Error make_error(const char* sqlstate, fmt::format_string<Args...> f, Args&&... args) {
  return Error(sqlstate, fmt::format(f, std::forward<Args>(args)...));
}

// 0A000: a feature PostgreSQL has that HeliosDB Nano does not implement yet.
[[noreturn]] inline void unsupported(std::string_view what) {
  throw Error(sqlstate::kFeatureNotSupported, fmt::format("{} is not supported", what));
}

}  // namespace heliosdb
