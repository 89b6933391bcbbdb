#include "catalog/system_views.h"

#include "catalog/catalog.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "common/array.h"
#include "common/errors.h"
#include "common/types.h"
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

constexpr uint32_t kTempNamespaceBase = 0x70000000;  // pg_temp_N is kTempNamespaceBase + N (above user OIDs)

}  // namespace

namespace {

constexpr uint32_t kProcBase = 0x20000000u;

// The stem of a type's I/O function names: "int4" gives int4in/int4out/int4recv/int4send; the
// types whose functions PostgreSQL names with an underscore (numeric_in) end in '_'.
std::string io_stem(uint32_t type) {
  if (array::is_array(type) && type != oid::kInt2Vector && type != oid::kOidVector) return "array_";
  const auto* ti = types::find(type);
  if (!ti) return "";
  std::string n = ti->name;
  static const std::unordered_map<std::string, std::string> underscore = {
      {"json", "json_"}, {"jsonb", "jsonb_"}, {"date", "date_"}, {"time", "time_"}, {"timestamp", "timestamp_"},
      {"timestamptz", "timestamptz_"}, {"interval", "interval_"}, {"timetz", "timetz_"}, {"numeric", "numeric_"},
      {"record", "record_"}, {"void", "void_"}, {"uuid", "uuid_"}, {"pg_node_tree", "pg_node_tree_"},
      {"anyarray", "anyarray_"}, {"anyelement", "anyelement_"}, {"any", "any_"}, {"anynonarray", "anynonarray_"},
      {"cstring", "cstring_"}, {"trigger", "trigger_"}, {"event_trigger", "event_trigger_"},
      {"language_handler", "language_handler_"}, {"internal", "internal_"}, {"anyenum", "anyenum_"},
      {"table_am_handler", "table_am_handler_"}, {"index_am_handler", "index_am_handler_"}};
  if (auto it = underscore.find(n); it != underscore.end()) return it->second;
  return n;
}

struct Procs {
  std::vector<ProcInfo> list;
  std::unordered_map<std::string, size_t> by_name;
};

const Procs& procs() {
  static const Procs* p = [] {
    auto* out = new Procs();
    auto add = [&](std::string name, uint32_t result, std::vector<uint32_t> args) {
      if (out->by_name.count(name)) return;
      out->by_name.emplace(name, out->list.size());
      out->list.push_back({kProcBase + static_cast<uint32_t>(out->list.size()), std::move(name), result, std::move(args)});
    };
    for (uint32_t t : types::all_oids()) {
      std::string stem = io_stem(t);
      if (stem.empty()) continue;
      bool arr = stem == "array_";
      bool pseudo = types::info(t).category == types::Category::kPseudo;
      uint32_t self = arr ? oid::kAnyArray : t;
      // Types with a modifier (and arrays, records) read with the type OID and typmod too.
      bool typmod = arr || stem == "numeric_" || stem == "varchar" || stem == "bpchar" || stem == "timestamp_" ||
                    stem == "timestamptz_" || stem == "time_" || stem == "timetz_" || stem == "interval_" ||
                    stem == "record_";
      add(stem + "in", self, typmod ? std::vector<uint32_t>{2275, oid::kOid, oid::kInt4} : std::vector<uint32_t>{2275});
      add(stem + "out", 2275, {self});
      if (!pseudo && t != oid::kAclitem) {
        add(stem + "recv", self, typmod ? std::vector<uint32_t>{2281, oid::kOid, oid::kInt4} : std::vector<uint32_t>{2281});
        add(stem + "send", oid::kBytea, {self});
      }
    }
    // Of enums and domains (CREATE TYPE / CREATE DOMAIN).
    add("enum_in", types::kAnyEnum, {2275, oid::kOid});
    add("enum_out", 2275, {types::kAnyEnum});
    add("enum_recv", types::kAnyEnum, {2281, oid::kOid});
    add("enum_send", oid::kBytea, {types::kAnyEnum});
    add("domain_in", 2276, {2275, oid::kOid, oid::kInt4});
    add("domain_recv", 2276, {2281, oid::kOid, oid::kInt4});
    add("heap_tableam_handler", 269, {2281});
    for (const char* h : {"bthandler", "hashhandler", "gisthandler", "ginhandler", "spghandler", "brinhandler"})
      add(h, 325, {2281});
    return out;
  }();
  return *p;
}

}  // namespace

const std::vector<ProcInfo>& catalog_procs() { return procs().list; }

const ProcInfo* find_proc(uint32_t oid) {
  const auto& l = procs().list;
  if (oid < kProcBase || oid - kProcBase >= l.size()) return nullptr;
  return &l[oid - kProcBase];
}

const ProcInfo* find_proc(std::string_view name) {
  const auto& p = procs();
  auto it = p.by_name.find(std::string(name));
  return it == p.by_name.end() ? nullptr : &p.list[it->second];
}

uint32_t type_io_proc(uint32_t type, int kind) {
  std::string stem = io_stem(type);
  if (stem.empty()) return 0;
  static const char* kSuffix[] = {"in", "out", "recv", "send"};
  const ProcInfo* p = find_proc(stem + kSuffix[kind]);
  return p ? p->oid : 0;
}

uint32_t am_handler_proc(uint32_t am) {
  const char* name = am == kHeapAm ? "heap_tableam_handler" : am == kBtreeAm ? "bthandler" : am == 405 ? "hashhandler"
                     : am == 783 ? "gisthandler" : am == 2742 ? "ginhandler" : am == 4000 ? "spghandler" : "brinhandler";
  const ProcInfo* p = find_proc(name);
  return p ? p->oid : 0;
}

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

std::vector<std::string> search_path(std::string_view setting, std::string_view user, const Catalog* catalog) {
  std::vector<std::string> out;
  for (auto& name : search_path_names(setting, user))
    if (namespace_oid(name) != 0 || (catalog && catalog->schema_oid(name))) out.push_back(std::move(name));
  return out;
}

std::vector<std::string> search_path_names(std::string_view setting, std::string_view user) {
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
    if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    i = comma + 1;
  }
  return out;
}

void check_schema(std::string_view schema, const Catalog* catalog) {
  if (!schema.empty() && schema != "pg_temp" && namespace_oid(schema) == 0 && !(catalog && catalog->schema_oid(schema)))
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

// A CHECK constraint: the top bits 10, the table id (22 bits), and the constraint's position
// (8 bits); a foreign key the same with top bits 11.
uint32_t check_constraint_oid(uint32_t table_id, size_t k) {
  return 0x80000000u | ((table_id << 8) & 0x3fffffffu) | static_cast<uint32_t>(k & 0xff);
}
std::pair<uint32_t, size_t> decode_check_constraint_oid(uint32_t oid) {
  if ((oid & 0xc0000000u) != 0x80000000u) return {0, 0};
  return {(oid & 0x3fffffffu) >> 8, oid & 0xff};
}
uint32_t foreign_key_oid(uint32_t table_id, size_t k) {
  return 0xc0000000u | ((table_id << 8) & 0x3fffffffu) | static_cast<uint32_t>(k & 0xff);
}
std::pair<uint32_t, size_t> decode_foreign_key_oid(uint32_t oid) {
  if ((oid & 0xc0000000u) != 0xc0000000u) return {0, 0};
  return {(oid & 0x3fffffffu) >> 8, oid & 0xff};
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
