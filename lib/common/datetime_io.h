// Bridge between the type registry and the date/time module (datetime.h, timezone.h).
#pragma once

#include <string>
#include <string_view>

#include "common/type_io.h"
#include "heliosdb/value.h"

namespace heliosdb::datetime_io {

Value parse(uint32_t type, std::string_view text, int32_t typmod, const types::TextContext& ctx);
std::string format(const Value& v, const types::TextContext& ctx);
Value apply_typmod(const Value& v, int32_t typmod);
// Casts between date/time types (date -> timestamp, timestamptz -> date, ...).
Value convert(const Value& v, uint32_t to, const types::TextContext& ctx);

// SET DateStyle: validates value against the current style/order (in ctx) and updates ctx;
// returns the canonical text SHOW prints ("ISO, MDY"). Throws 22023 on bad input.
std::string set_datestyle(std::string_view value, types::TextContext& ctx);
// SET TimeZone: loads the zone into ctx and returns the name SHOW prints. Throws 22023.
std::string set_timezone(std::string_view value, types::TextContext& ctx);

}  // namespace heliosdb::datetime_io
