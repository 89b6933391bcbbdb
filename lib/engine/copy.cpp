#include "engine/copy.h"

#include <boost/json.hpp>

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

CopyOptions copy_options(const json::array& options) {
  CopyOptions o;
  bool delimiter_set = false, null_set = false, quote_set = false, escape_set = false;
  for (const auto& item : options) {
    const auto& def = sql::node_body(item);
    std::string name(sql::str_field(def, "defname"));
    if (name == "format") {
      std::string f = option_text(def);
      if (f == "csv") o.csv = true;
      else if (f == "binary") unsupported("COPY in binary format");
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
  if (o.csv) {
    if (!delimiter_set) o.delimiter = ',';
    if (!null_set) o.null_string = "";
    if (!escape_set) o.escape = o.quote;
  } else {
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
      append_csv_field(out, v, o, row.size() == 1 && v == "\\.");  // a lone \. would read as the end marker
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

void CopyParser::split(std::string_view line) {
  size_t i = 0;
  for (;;) {
    if (o_.csv) {
      std::string field;
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
      if (!quoted && raw == o_.null_string) fields_.emplace_back(std::nullopt);
      else fields_.emplace_back(std::move(field));
    } else {
      size_t begin = i;
      std::string field;
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
      if (raw == o_.null_string) fields_.emplace_back(std::nullopt);
      else fields_.emplace_back(std::move(field));
    }
    if (i >= line.size()) break;
    ++i;  // the delimiter
  }
}

}  // namespace heliosdb::engine
