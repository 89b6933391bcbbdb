#include "heliosdb/value.h"

#include "common/errors.h"
#include "common/type_io.h"

namespace heliosdb {
namespace {
[[noreturn]] void wrong(const char* what, uint32_t type) {
  raise(sqlstate::kInternalError, "value of type {} is not {}", type, what);
}
}  // namespace

bool Value::as_bool() const {
  if (const auto* b = std::get_if<bool>(&datum_)) return *b;
  wrong("a boolean", type_);
}

int64_t Value::as_int() const {
  if (const auto* i = std::get_if<int64_t>(&datum_)) return *i;
  wrong("an integer", type_);
}

double Value::as_double() const {
  if (const auto* d = std::get_if<double>(&datum_)) return *d;
  if (const auto* i = std::get_if<int64_t>(&datum_)) return static_cast<double>(*i);
  wrong("a float", type_);
}

const std::string& Value::as_string() const {
  if (const auto* s = std::get_if<std::string>(&datum_)) return *s;
  wrong("a string", type_);
}

Interval Value::as_interval() const {
  if (const auto* iv = std::get_if<Interval>(&datum_)) return *iv;
  wrong("an interval", type_);
}

std::string Value::to_text() const {
  if (is_null()) return {};
  return types::format_text(*this, types::default_text_context());
}

}  // namespace heliosdb
