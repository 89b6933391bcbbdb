#include "engine/copy.h"

#include <boost/json.hpp>

#include <algorithm>

#include "common/binary_format.h"
#include "catalog/catalog.h"
#include "common/errors.h"
#include "sql/parser.h"

namespace heliosdb::engine {

namespace json = boost::json;

namespace {

std::string option_text(const json::object& def) {
  const json::value* arg = sql::field(def, "arg");
  if (!arg) return "";
  std::string_view t = sql::node_type(*arg);
  const auto& n = sql::node_body(*arg);
  if (t == "String") return std::string(sql::str_field(n, "sval"));
  if (t == "Boolean") return sql::bool_field(n, "boolval") ? "true" : "false";
  if (t == "Integer") return std::to_string(sql::int_field(n, "ival"));
  return "";
}

bool option_bool(const json::object& def, std::string_view name) {
  if (!sql::field(def, "arg")) return true;
  std::string v = option_text(def);
  for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (v == "true" || v == "on" || v == "1") return true;
  if (v == "false" || v == "off" || v == "0") return false;
  raise(sqlstate::kInvalidParameterValue, "{} requires a Boolean value", name);
}

char single_char(const std::string& v, const char* what) {
  if (v.size() != 1) raise(sqlstate::kFeatureNotSupported, "COPY {} must be a single one-byte character", what);
  return v[0];
}


}  // namespace

namespace {
// FORCE_QUOTE (a, b) / FORCE_QUOTE * and the like: the column names (empty for *).
std::vector<std::string> option_columns(const json::object& def, bool* all) {
  std::vector<std::string> names;
  const json::value* arg = sql::field(def, "arg");
  if (!arg || sql::node_type(*arg) == "A_Star") {
    if (all) *all = true;
    return names;
  }
  for (const auto& item : sql::list_field(sql::node_body(*arg), "items")) names.emplace_back(sql::str_field(sql::node_body(item), "sval"));
  return names;
}
}  // namespace

CopyOptions copy_options(const json::array& options, bool from) {
  CopyOptions o;
  bool delimiter_set = false, null_set = false, quote_set = false, escape_set = false, force_quote = false,
       force_not_null = false, force_null = false;
  for (const auto& item : options) {
    const auto& def = sql::node_body(item);
    std::string name(sql::str_field(def, "defname"));
    if (name == "format") {
      std::string f = option_text(def);
      if (f == "csv") o.csv = true;
      else if (f == "binary") o.binary = true;
      else if (f != "text") raise(sqlstate::kInvalidParameterValue, "COPY format \"{}\" not recognized", f);
    } else if (name == "header") {
      if (option_text(def) == "match") unsupported("HEADER MATCH");
      o.header = option_bool(def, "header");
    } else if (name == "delimiter") {
      o.delimiter = single_char(option_text(def), "delimiter");
      delimiter_set = true;
    } else if (name == "null") {
      o.null_string = option_text(def);
      null_set = true;
    } else if (name == "quote") {
      o.quote = single_char(option_text(def), "quote");
      quote_set = true;
    } else if (name == "escape") {
      o.escape = single_char(option_text(def), "escape");
      escape_set = true;
    } else if (name == "force_quote") {
      o.force_quote_names = option_columns(def, &o.force_quote_all);
      force_quote = true;
    } else if (name == "force_not_null") {
      o.force_not_null_names = option_columns(def, nullptr);
      force_not_null = true;
    } else if (name == "force_null") {
      o.force_null_names = option_columns(def, nullptr);
      force_null = true;
    } else if (name == "freeze" || name == "encoding") {
      // FREEZE only changes how PostgreSQL writes its heap; UTF8 is the only encoding.
      if (name == "encoding") {
        std::string e = option_text(def);
        for (char& c : e) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (e != "UTF8" && e != "UTF-8") unsupported("COPY ENCODING other than UTF8");
      }
    } else {
      unsupported("COPY option \"" + name + "\"");
    }
  }
  if (o.binary) {
    if (delimiter_set) raise(sqlstate::kSyntaxError, "cannot specify DELIMITER in BINARY mode");
    if (null_set) raise(sqlstate::kSyntaxError, "cannot specify NULL in BINARY mode");
    if (o.header) raise(sqlstate::kFeatureNotSupported, "cannot specify HEADER in BINARY mode");
  }
  if (!o.csv) {
    if (force_quote) raise(sqlstate::kFeatureNotSupported, "COPY force quote available only in CSV mode");
    if (force_not_null) raise(sqlstate::kFeatureNotSupported, "COPY force not null available only in CSV mode");
    if (force_null) raise(sqlstate::kFeatureNotSupported, "COPY force null available only in CSV mode");
  }
  if (force_quote && from) raise(sqlstate::kFeatureNotSupported, "COPY force quote only available using COPY TO");
  if (force_not_null && !from) raise(sqlstate::kFeatureNotSupported, "COPY force not null only available using COPY FROM");
  if (force_null && !from) raise(sqlstate::kFeatureNotSupported, "COPY force null only available using COPY FROM");
  if (o.csv) {
    if (!delimiter_set) o.delimiter = ',';
    if (!null_set) o.null_string = "";
    if (!escape_set) o.escape = o.quote;
  } else if (!o.binary) {
    if (o.header) raise(sqlstate::kFeatureNotSupported, "COPY HEADER available only in CSV mode");
    if (quote_set) raise(sqlstate::kFeatureNotSupported, "COPY quote available only in CSV mode");
    if (escape_set) raise(sqlstate::kFeatureNotSupported, "COPY escape available only in CSV mode");
  }
  if (o.delimiter == '\n' || o.delimiter == '\r')
    raise(sqlstate::kInvalidParameterValue, "COPY delimiter cannot be newline or carriage return");
  if (o.null_string.find_first_of("\r\n") != std::string::npos)
    raise(sqlstate::kInvalidParameterValue, "COPY null representation cannot use newline or carriage return");
  if (o.csv && o.delimiter == o.quote) raise(sqlstate::kInvalidParameterValue, "COPY delimiter and quote must be different");
  return o;
}

void CopyOptions::resolve_force_columns(const std::vector<std::string>& columns, const catalog::TableDef* table) {
  auto flags = [&](const std::vector<std::string>& names, const char* what, std::vector<bool>& out, bool all) {
    out.assign(columns.size(), all);
    for (const auto& n : names) {
      auto it = std::find(columns.begin(), columns.end(), n);
      if (it == columns.end() && table && table->column_index(n) < 0)
        raise(sqlstate::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", n, table->name);
      if (it == columns.end()) raise(sqlstate::kInvalidColumnReference, "{} column \"{}\" not referenced by COPY", what, n);
      out[static_cast<size_t>(it - columns.begin())] = true;
    }
  };
  flags(force_quote_names, "FORCE_QUOTE", force_quote, force_quote_all);
  flags(force_not_null_names, "FORCE_NOT_NULL", force_not_null, false);
  flags(force_null_names, "FORCE_NULL", force_null, false);
}

namespace {
// A CSV field, quoted when it would not read back as itself (or when force says so).
void append_csv_field(std::string& out, std::string_view s, const CopyOptions& o, bool force) {
  bool quote = force || s == o.null_string || s.find_first_of(std::string{o.delimiter, o.quote, '\r', '\n'}) != std::string::npos;
  if (!quote) {
    out += s;
    return;
  }
  out.push_back(o.quote);
  for (char c : s) {
    if (c == o.quote || c == o.escape) out.push_back(o.escape);
    out.push_back(c);
  }
  out.push_back(o.quote);
}
}  // namespace

void copy_format_header(std::string& out, const std::vector<std::string>& names, const CopyOptions& o) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out.push_back(o.delimiter);
    append_csv_field(out, names[i], o, names[i].empty());
  }
  out.push_back('\n');
}

void copy_format_row(std::string& out, const std::vector<Value>& row, const CopyOptions& o, const types::TextContext& text) {
  std::string v;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) out.push_back(o.delimiter);
    if (row[i].is_null()) {
      out += o.null_string;
      continue;
    }
    v.clear();
    types::append_text(v, row[i], text);
    if (o.csv) {
      bool force = (i < o.force_quote.size() && o.force_quote[i]) || (row.size() == 1 && v == "\\.");  // a lone \. would read as the end marker
      append_csv_field(out, v, o, force);
      continue;
    }
    for (char c : v) {
      switch (c) {
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\v': out += "\\v"; break;
        default:
          if (c == o.delimiter) out.push_back('\\');
          out.push_back(c);
      }
    }
  }
  out.push_back('\n');
}

size_t CopyParser::line_end(size_t start, bool at_end) const {
  if (!o_.csv) {
    size_t nl = buf_.find('\n', start);
    if (nl != std::string::npos) return nl;
    return at_end && start < buf_.size() ? buf_.size() : std::string::npos;
  }
  bool in_quote = false;
  for (size_t i = start; i < buf_.size(); ++i) {
    char c = buf_[i];
    if (in_quote) {
      if (c == o_.escape && o_.escape != o_.quote && i + 1 < buf_.size() &&
          (buf_[i + 1] == o_.quote || buf_[i + 1] == o_.escape)) {
        ++i;
      } else if (c == o_.quote) {
        in_quote = false;
      }
    } else if (c == o_.quote) {
      in_quote = true;
    } else if (c == '\n') {
      return i;
    }
  }
  if (at_end && start < buf_.size()) {
    if (in_quote) raise(sqlstate::kBadCopyFileFormat, "unterminated CSV quoted field");
    return buf_.size();
  }
  return std::string::npos;
}

// Fields are read into the strings of the previous line's, so that a long field costs no
// allocation per line.
void CopyParser::split(std::string_view line) {
  size_t i = 0;
  size_t k = 0;  // the field
  auto slot = [this, &k]() -> std::string& {
    if (k == fields_.size()) fields_.emplace_back();
    std::optional<std::string>& f = fields_[k];
    if (f) f->clear();
    else f.emplace();
    return *f;
  };
  for (;; ++k) {
    std::string& field = slot();
    if (o_.csv) {
      bool quoted = false;
      size_t begin = i;
      while (i < line.size() && line[i] != o_.delimiter) {
        if (line[i] == o_.quote) {
          quoted = true;
          ++i;
          for (;;) {
            if (i >= line.size()) raise(sqlstate::kBadCopyFileFormat, "unterminated CSV quoted field");
            char c = line[i];
            if (c == o_.escape && i + 1 < line.size() && (line[i + 1] == o_.quote || line[i + 1] == o_.escape) &&
                (o_.escape != o_.quote || line[i + 1] == o_.quote)) {
              field.push_back(line[i + 1]);
              i += 2;
              continue;
            }
            if (c == o_.quote) {
              ++i;
              break;
            }
            field.push_back(c);
            ++i;
          }
        } else {
          field.push_back(line[i++]);
        }
      }
      std::string_view raw = line.substr(begin, i - begin);
      bool not_null = k < o_.force_not_null.size() && o_.force_not_null[k];
      bool null_quoted = k < o_.force_null.size() && o_.force_null[k];
      if ((!quoted && raw == o_.null_string && !not_null) || (quoted && null_quoted && field == o_.null_string))
        fields_[k].reset();
    } else {
      size_t begin = i;
      // Most fields have no backslash before the next delimiter: taken whole.
      size_t stop = std::min(line.find(o_.delimiter, i), line.size());
      if (line.substr(i, stop - i).find('\\') == std::string_view::npos) {
        field.assign(line.substr(i, stop - i));
        i = stop;
      }
      while (i < line.size() && line[i] != o_.delimiter) {
        char c = line[i++];
        if (c != '\\' || i >= line.size()) {
          field.push_back(c);
          continue;
        }
        char e = line[i++];
        switch (e) {
          case 'b': field.push_back('\b'); break;
          case 'f': field.push_back('\f'); break;
          case 'n': field.push_back('\n'); break;
          case 'r': field.push_back('\r'); break;
          case 't': field.push_back('\t'); break;
          case 'v': field.push_back('\v'); break;
          case 'x':
            if (i < line.size() && types::hex_digit(line[i]) >= 0) {
              int v = types::hex_digit(line[i++]);
              if (i < line.size() && types::hex_digit(line[i]) >= 0) v = v * 16 + types::hex_digit(line[i++]);
              field.push_back(static_cast<char>(v));
            } else {
              field.push_back('x');
            }
            break;
          default:
            if (e >= '0' && e <= '7') {
              int v = e - '0';
              for (int k = 0; k < 2 && i < line.size() && line[i] >= '0' && line[i] <= '7'; ++k) v = v * 8 + (line[i++] - '0');
              field.push_back(static_cast<char>(v));
            } else {
              field.push_back(e);
            }
        }
      }
      std::string_view raw = line.substr(begin, i - begin);
      if (raw == o_.null_string) fields_[k].reset();
    }
    if (i >= line.size()) break;
    ++i;  // the delimiter
  }
  fields_.resize(k + 1);
}

namespace {
constexpr std::string_view kBinarySignature("PGCOPY\n\377\r\n\0", 11);
}  // namespace

void copy_binary_header(std::string& out) {
  out.append(kBinarySignature);
  binary::put_be(out, 0, 4);  // flags
  binary::put_be(out, 0, 4);  // header extension length
}

void copy_binary_row(std::string& out, const std::vector<Value>& row) {
  binary::put_be(out, row.size(), 2);
  std::string v;
  for (const auto& value : row) {
    if (value.is_null()) {
      binary::put_be(out, 0xffffffff, 4);
      continue;
    }
    v.clear();
    binary::encode(v, value);
    binary::put_be(out, v.size(), 4);
    out += v;
  }
}

void copy_binary_trailer(std::string& out) { binary::put_be(out, 0xffff, 2); }

void CopyParser::raise_bad_binary(const char* message) { raise(sqlstate::kBadCopyFileFormat, "{}", message); }

size_t CopyParser::binary_header() {
  if (buf_.size() < kBinarySignature.size()) {
    if (buf_.compare(0, buf_.size(), kBinarySignature.substr(0, buf_.size())) != 0)
      raise_bad_binary("COPY file signature not recognized");
    return 0;
  }
  if (buf_.compare(0, kBinarySignature.size(), kBinarySignature) != 0) raise_bad_binary("COPY file signature not recognized");
  if (buf_.size() < 19) return 0;
  int32_t flags = static_cast<int32_t>(binary::get_be(buf_, 11, 4));
  if (flags & (1 << 16)) raise_bad_binary("invalid COPY file header (WITH OIDS)");
  if ((flags >> 16) & ~1) raise_bad_binary("unrecognized critical flags in COPY file header");
  int32_t ext = static_cast<int32_t>(binary::get_be(buf_, 15, 4));
  if (ext < 0) raise_bad_binary("invalid COPY file header (missing length)");
  if (buf_.size() < 19 + static_cast<size_t>(ext)) return 0;
  return 19 + static_cast<size_t>(ext);
}

size_t CopyParser::binary_tuple(size_t pos) {
  if (buf_.size() < pos + 2) return 0;
  int16_t count = static_cast<int16_t>(binary::get_be(buf_, pos, 2));
  pos += 2;
  if (count == -1) {
    done_ = true;
    return pos;
  }
  if (count < 0) raise_bad_binary("invalid field count in COPY data");
  fields_.clear();
  for (int16_t k = 0; k < count; ++k) {
    if (buf_.size() < pos + 4) return 0;
    int32_t len = static_cast<int32_t>(binary::get_be(buf_, pos, 4));
    pos += 4;
    if (len == -1) {
      fields_.emplace_back(std::nullopt);
      continue;
    }
    if (len < 0) raise_bad_binary("invalid field size");
    if (buf_.size() < pos + static_cast<size_t>(len)) return 0;
    fields_.emplace_back(buf_.substr(pos, static_cast<size_t>(len)));
    pos += static_cast<size_t>(len);
  }
  return pos;
}

}  // namespace heliosdb::engine
