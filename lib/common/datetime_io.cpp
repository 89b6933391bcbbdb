#include "common/datetime_io.h"

#include <filesystem>
#include <vector>

#include "common/errors.h"

namespace heliosdb::datetime_io {

// The date/time types (date, time, timestamp, timestamptz, interval) are declared in the type
// registry but their input, output and arithmetic are not implemented yet: every use says 0A000
// rather than guessing at PostgreSQL's formats.
Value parse(uint32_t type, std::string_view, int32_t, const types::TextContext&) {
  unsupported(fmt::format("input of date/time type {}", type));
}

std::string format(const Value& v, const types::TextContext&) {
  unsupported(fmt::format("output of date/time type {}", v.type()));
}

Value apply_typmod(const Value& v, int32_t) { return v; }

Value convert(const Value& v, uint32_t to, const types::TextContext&) {
  unsupported(fmt::format("casts between date/time types ({} to {})", v.type(), to));
}

namespace {
std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

// PostgreSQL's check_datestyle: a style (ISO, SQL, Postgres, German) and/or an order (DMY, MDY,
// YMD, with the aliases European/NonEuropean/US), separated by commas or spaces.
std::string set_datestyle(std::string_view value, types::TextContext& ctx) {
  static const char* kStyles[] = {"ISO", "Postgres", "SQL", "German"};
  static const char* kOrders[] = {"MDY", "DMY", "YMD"};
  int style = ctx.datestyle, order = ctx.dateorder;
  bool have_style = false, have_order = false;
  std::string token;
  std::vector<std::string> tokens;
  for (char c : std::string(value) + ",") {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      if (!token.empty()) tokens.push_back(upper(token));
      token.clear();
    } else {
      token.push_back(c);
    }
  }
  auto invalid = [&] {
    throw Error(sqlstate::kInvalidParameterValue,
                fmt::format("invalid value for parameter \"DateStyle\": \"{}\"", value))
        .with_detail("Unrecognized key word: \"" + (tokens.empty() ? std::string() : tokens.back()) + "\".");
  };
  for (const auto& t : tokens) {
    int s = -1, o = -1;
    if (t == "ISO") s = 0;
    else if (t == "POSTGRES") s = 1;
    else if (t == "SQL") s = 2;
    else if (t == "GERMAN") {
      s = 3;
      if (!have_order) o = 1;  // German implies DMY unless an order is given
    } else if (t == "MDY" || t == "US" || t == "NONEUROPEAN") o = 0;
    else if (t == "DMY" || t == "EUROPEAN") o = 1;
    else if (t == "YMD") o = 2;
    else if (t == "DEFAULT") {
      s = 0;
      o = 0;
    } else {
      invalid();
    }
    if (s >= 0) {
      if (have_style && s != style)
        throw Error(sqlstate::kInvalidParameterValue, fmt::format("invalid value for parameter \"DateStyle\": \"{}\"", value))
            .with_detail("Conflicting \"datestyle\" specifications.");
      style = s;
      have_style = true;
    }
    if (o >= 0 && !(t == "GERMAN" && have_order)) {
      if (have_order && o != order && t != "GERMAN")
        throw Error(sqlstate::kInvalidParameterValue, fmt::format("invalid value for parameter \"DateStyle\": \"{}\"", value))
            .with_detail("Conflicting \"datestyle\" specifications.");
      order = o;
      if (t != "GERMAN") have_order = true;
    }
  }
  ctx.datestyle = style;
  ctx.dateorder = order;
  return std::string(kStyles[style]) + ", " + kOrders[order];
}

// Accepts UTC/GMT, names found in the system time zone database, and POSIX-style names.
std::string set_timezone(std::string_view value, types::TextContext& ctx) {
  std::string v(value);
  (void)ctx;
  std::string up = upper(v);
  if (up == "UTC" || up == "GMT" || up == "Z" || up == "ZULU" || up == "UCT") return v;
  if (!v.empty() && v.find("..") == std::string::npos && v[0] != '/' &&
      std::filesystem::is_regular_file(std::filesystem::path("/usr/share/zoneinfo") / v))
    return v;
  raise(sqlstate::kInvalidParameterValue, "invalid value for parameter \"TimeZone\": \"{}\"", v);
}

}  // namespace heliosdb::datetime_io
