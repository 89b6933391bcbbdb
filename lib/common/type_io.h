// Text input and output of every type, in PostgreSQL 15's exact formats.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "heliosdb/value.h"

namespace heliosdb::datetime { class TimeZone; }

namespace heliosdb::types {

// Names of catalog objects for the reg* types: regclass 16385 prints "t", 't'::regclass reads
// back 16385. The session provides them over its catalog.
class OidNames {
 public:
  virtual ~OidNames() = default;
  // The name to print (schema-qualified when not visible), or nullopt when nothing has that OID.
  virtual std::optional<std::string> name(uint32_t type, uint32_t oid) const = 0;
  // The OID a name denotes; throws PostgreSQL's error when there is none (42P01, 42704, ...).
  virtual uint32_t lookup(uint32_t type, std::string_view name) const = 0;
};

// Session settings that change how values read and print.
struct TextContext {
  int datestyle = 0;          // datetime::DateStyle::Style
  int dateorder = 0;          // datetime::DateStyle::Order
  std::shared_ptr<const datetime::TimeZone> timezone;  // nullptr = UTC
  int extra_float_digits = 1;
  int intervalstyle = 0;      // datetime::IntervalStyle
  bool bytea_escape = false;  // bytea_output = escape (else hex)
  int64_t now = 0;            // transaction start (µs since 2000-01-01 UTC) for 'now'
  const OidNames* names = nullptr;  // for the reg* types; nullptr: they read and print as numbers
};

// regtypein: the type a name denotes as SQL writes it ("integer", "character varying(10)",
// "int4[]", "pg_catalog.text", an enum or domain through names); 42704 when none.
uint32_t parse_type_name(std::string_view text, const OidNames* names);

// The value of a hexadecimal digit, or -1.
int hex_digit(char c);

// The type's input function (int4in, numeric_in, ...) then its typmod coercion.
// Throws 22P02 and friends with PostgreSQL's messages.
Value parse_text(uint32_t type, std::string_view text, int32_t typmod, const TextContext& ctx);

// "char" (one byte, stored as a string of it, empty for the zero byte): charin takes \ooo (three
// octal digits) as that byte, else the first byte; charout writes a byte with the high bit set as
// \ooo. text <-> "char" convert the same way.
std::string char_in(std::string_view text);
std::string char_out(std::string_view stored);

// The type's output function. NULL is not printable: callers check is_null().
std::string format_text(const Value& v, const TextContext& ctx);
void append_text(std::string& out, const Value& v, const TextContext& ctx);

// Coerces v (already of its type) to typmod: varchar(n)/char(n) length, numeric(p,s),
// timestamp(p). `explicit_cast` truncates strings silently as an explicit cast does.
Value apply_typmod(Value v, int32_t typmod, bool explicit_cast);

// The default context: DateStyle ISO, MDY, TimeZone UTC.
const TextContext& default_text_context();

}  // namespace heliosdb::types
