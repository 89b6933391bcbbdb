#include "catalog/system_views.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "common/errors.h"
#include "heliosdb/value.h"

namespace heliosdb::catalog {

extern const char kCatalogSchema[];

namespace {

struct Registry {
  std::vector<SystemView> views;
  std::unordered_map<std::string, size_t> by_name;  // "schema.name"
  std::unordered_map<uint32_t, size_t> by_oid;
};

std::vector<SystemView> parse_schema() {
  std::vector<SystemView> out;
  std::string_view text = kCatalogSchema;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    if (line.empty()) continue;
    std::vector<std::string_view> words;
    for (size_t i = 0; i < line.size();) {
      size_t j = line.find(' ', i);
      if (j == std::string_view::npos) j = line.size();
      words.push_back(line.substr(i, j - i));
      i = j + 1;
    }
    SystemView v;
    size_t dot = words[0].find('.');
    v.schema = std::string(words[0].substr(0, dot));
    v.name = std::string(words[0].substr(dot + 1));
    v.oid = static_cast<uint32_t>(std::stoul(std::string(words[1])));
    v.relkind = words[2][0];
    for (size_t k = 3; k < words.size(); ++k) {
      size_t colon = words[k].rfind(':');
      v.columns.emplace_back(std::string(words[k].substr(0, colon)),
                             static_cast<uint32_t>(std::stoul(std::string(words[k].substr(colon + 1)))));
    }
    out.push_back(std::move(v));
  }
  return out;
}

const Registry& registry() {
  static const Registry* r = [] {
    auto* reg = new Registry();
    reg->views = parse_schema();
    for (size_t i = 0; i < reg->views.size(); ++i) {
      reg->by_name.emplace(reg->views[i].schema + "." + reg->views[i].name, i);
      reg->by_oid.emplace(reg->views[i].oid, i);
    }
    return reg;
  }();
  return *r;
}

constexpr uint32_t kTempNamespaceBase = 15000;  // pg_temp_N is kTempNamespaceBase + N

}  // namespace

int SystemView::column(std::string_view n) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].first == n) return static_cast<int>(i);
  return -1;
}

const SystemView* find_system_view(std::string_view schema, std::string_view name) {
  const auto& r = registry();
  auto it = r.by_name.find(std::string(schema.empty() ? "pg_catalog" : schema) + "." + std::string(name));
  return it == r.by_name.end() ? nullptr : &r.views[it->second];
}

const SystemView* find_system_view(uint32_t oid) {
  const auto& r = registry();
  auto it = r.by_oid.find(oid);
  return it == r.by_oid.end() ? nullptr : &r.views[it->second];
}

const std::vector<SystemView>& system_views() { return registry().views; }

uint32_t namespace_oid(std::string_view schema) {
  if (schema == "pg_catalog") return kPgCatalogNamespace;
  if (schema == "public") return kPublicNamespace;
  if (schema == "information_schema") return kInformationSchemaNamespace;
  if (schema == "pg_toast") return kPgToastNamespace;
  if (schema.rfind("pg_temp_", 0) == 0) {
    try {
      return kTempNamespaceBase + static_cast<uint32_t>(std::stoul(std::string(schema.substr(8))));
    } catch (...) {
    }
  }
  return 0;
}

std::vector<std::string> search_path(std::string_view setting, std::string_view user) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= setting.size()) {
    size_t comma = setting.find(',', i);
    if (comma == std::string_view::npos) comma = setting.size();
    std::string_view item = setting.substr(i, comma - i);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    std::string name;
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') name = std::string(item.substr(1, item.size() - 2));
    else for (char c : item) name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (name == "$user") name = std::string(user);
    if (!name.empty() && namespace_oid(name) != 0 && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    i = comma + 1;
  }
  return out;
}

void check_schema(std::string_view schema) {
  if (!schema.empty() && schema != "pg_temp" && namespace_oid(schema) == 0)
    raise(sqlstate::kUndefinedSchema, "schema \"{}\" does not exist", schema);
}

std::string namespace_name(uint32_t oid) {
  switch (oid) {
    case kPgCatalogNamespace: return "pg_catalog";
    case kPublicNamespace: return "public";
    case kInformationSchemaNamespace: return "information_schema";
    case kPgToastNamespace: return "pg_toast";
    default:
      if (oid > kTempNamespaceBase && oid < kTempNamespaceBase + 1000000) return "pg_temp_" + std::to_string(oid - kTempNamespaceBase);
      return "";
  }
}

// A CHECK constraint: the top bit, the table id, and the constraint's position (8 bits).
uint32_t check_constraint_oid(uint32_t table_id, size_t k) {
  return 0x80000000u | (table_id << 8) | static_cast<uint32_t>(k & 0xff);
}
std::pair<uint32_t, size_t> decode_check_constraint_oid(uint32_t oid) {
  if (!(oid & 0x80000000u)) return {0, 0};
  return {(oid & 0x7fffffffu) >> 8, oid & 0xff};
}

// Row types: 0x10000000 (0x18000000 for the array type) and the table id (27 bits).
uint32_t row_type_oid(uint32_t table_id) { return 0x10000000u | table_id; }
uint32_t row_array_type_oid(uint32_t table_id) { return 0x18000000u | table_id; }
std::pair<uint32_t, bool> decode_row_type_oid(uint32_t oid) {
  if ((oid & 0xf0000000u) != 0x10000000u) return {0, false};
  return {oid & 0x07ffffffu, (oid & 0x08000000u) != 0};
}

// A column default: the second-highest bit, the table id and the column number (10 bits).
uint32_t attrdef_oid(uint32_t table_id, int attnum) {
  return 0x40000000u | (table_id << 10) | static_cast<uint32_t>(attnum & 0x3ff);
}
std::pair<uint32_t, int> decode_attrdef_oid(uint32_t oid) {
  if ((oid & 0xc0000000u) != 0x40000000u) return {0, 0};
  return {(oid & 0x3fffffffu) >> 10, static_cast<int>(oid & 0x3ff)};
}

}  // namespace heliosdb::catalog
