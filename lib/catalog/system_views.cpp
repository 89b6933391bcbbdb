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
  std::vector<SystemDomain> domains;
  std::unordered_map<std::string, size_t> by_name;  // "schema.name"
  std::unordered_map<uint32_t, size_t> by_oid;
  std::unordered_map<uint32_t, size_t> by_row_type;  // and by row array type
  std::unordered_map<uint32_t, size_t> domain_by_oid;  // and by array type
};

uint32_t to_oid(std::string_view word) { return static_cast<uint32_t>(std::stoul(std::string(word))); }

// The format is in tools/gen_catalog_schema.py's comment.
void parse_schema(Registry& reg) {
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
    if (words[0] == "domain") {
      SystemDomain d;
      size_t dot = words[1].find('.');
      d.schema = std::string(words[1].substr(0, dot));
      d.name = std::string(words[1].substr(dot + 1));
      d.oid = to_oid(words[2]);
      d.array_oid = to_oid(words[3]);
      d.base_type = to_oid(words[4]);
      d.base_typmod = std::stoi(std::string(words[5]));
      d.collation = to_oid(words[6]);
      if (std::string_view def = line.substr(words[7].data() - line.data()); def != "-") d.default_text = std::string(def);
      reg.domains.push_back(std::move(d));
      continue;
    }
    SystemView v;
    size_t dot = words[0].find('.');
    v.schema = std::string(words[0].substr(0, dot));
    v.name = std::string(words[0].substr(dot + 1));
    v.oid = to_oid(words[1]);
    v.relkind = words[2][0];
    v.row_type = to_oid(words[3]);
    v.row_array_type = to_oid(words[4]);
    v.has_index = words[5].find('i') != std::string_view::npos;
    v.shared = words[5].find('s') != std::string_view::npos;
    v.replident = words[5].find('d') != std::string_view::npos ? 'd' : 'n';
    v.access.owner = kBootstrapSuperuser;
    if (words[6] != "-") {
      v.access.acl.emplace();
      for (size_t i = 0; i < words[6].size();) {
        size_t j = std::min(words[6].find(',', i), words[6].size());
        std::string_view item = words[6].substr(i, j - i);
        size_t eq = item.find('=');
        v.access.acl->push_back(AclItem{.grantee = to_oid(item.substr(0, eq)), .grantor = kBootstrapSuperuser,
                                        .privileges = privileges_of_letters(item.substr(eq + 1))});
        i = j + 1;
      }
    }
    if (words[7] != "-") v.options = std::string(words[7]);
    for (size_t k = 8; k < words.size(); ++k) {
      size_t colon = words[k].rfind(':'), slash = words[k].find('/', colon);
      uint32_t type = to_oid(words[k].substr(colon + 1, slash - colon - 1));
      v.columns.emplace_back(std::string(words[k].substr(0, colon)), type);
      v.declared_types.push_back(slash == std::string_view::npos ? type : to_oid(words[k].substr(slash + 1)));
    }
    reg.views.push_back(std::move(v));
  }
}

const Registry& registry() {
  static const Registry* r = [] {
    auto* reg = new Registry();
    parse_schema(*reg);
    for (size_t i = 0; i < reg->views.size(); ++i) {
      const auto& v = reg->views[i];
      reg->by_name.emplace(v.schema + "." + v.name, i);
      reg->by_oid.emplace(v.oid, i);
      reg->by_row_type.emplace(v.row_type, i);
      reg->by_row_type.emplace(v.row_array_type, i);
    }
    for (size_t i = 0; i < reg->domains.size(); ++i) {
      reg->domain_by_oid.emplace(reg->domains[i].oid, i);
      reg->domain_by_oid.emplace(reg->domains[i].array_oid, i);
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
      {"anycompatible", "anycompatible_"}, {"anycompatiblearray", "anycompatiblearray_"},
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
      // Of the pseudo-types, record, void, anyarray, anycompatiblearray and cstring have binary I/O.
      bool binary = !pseudo || t == oid::kRecord || t == oid::kVoid || t == oid::kAnyArray || t == 5078 || t == 2275;
      if (binary && t != oid::kAclitem) {
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
    // pg_type.typmodin / typmodout of the types with a modifier, typsubscript, typanalyze.
    for (const char* t : {"bpchar", "varchar", "numeric", "time", "timetz", "timestamp", "timestamptz", "interval"}) {
      add(std::string(t) + "typmodin", oid::kInt4, {1263});
      add(std::string(t) + "typmodout", 2275, {oid::kInt4});
    }
    for (const char* h : {"array_subscript_handler", "raw_array_subscript_handler", "jsonb_subscript_handler"})
      add(h, 2281, {2281});
    add("array_typanalyze", oid::kBool, {2281});
    add("heap_tableam_handler", 269, {2281});
    for (const char* h : {"bthandler", "hashhandler", "gisthandler", "ginhandler", "spghandler", "brinhandler"})
      add(h, 325, {2281});
    return out;
  }();
  return *p;
}

}  // namespace

const char* builtin_type_description(uint32_t oid) {
  // pg_description of PostgreSQL 15's built-in types (COMMENT ON TYPE by initdb).
  static const std::unordered_map<uint32_t, const char*> kDescriptions = {
      {16, "boolean, 'true'/'false'"},
      {17, "variable-length string, binary values escaped"},
      {18, "single character"},
      {19, "63-byte type for storing system identifiers"},
      {20, "~18 digit integer, 8-byte storage"},
      {21, "-32 thousand to 32 thousand, 2-byte storage"},
      {22, "array of int2, used in system tables"},
      {23, "-2 billion to 2 billion integer, 4-byte storage"},
      {24, "registered procedure"},
      {25, "variable-length string, no limit specified"},
      {26, "object identifier(oid), maximum 4 billion"},
      {27, "(block, offset), physical location of tuple"},
      {28, "transaction id"},
      {29, "command identifier type, sequence in transaction id"},
      {30, "array of oids, used in system tables"},
      {32, "internal type for passing CollectedCommand"},
      {114, "JSON stored as text"},
      {142, "XML content"},
      {194, "string representing an internal node tree"},
      {325, "pseudo-type for the result of an index AM handler function"},
      {600, "geometric point '(x, y)'"},
      {601, "geometric line segment '(pt1,pt2)'"},
      {602, "geometric path '(pt1,...)'"},
      {603, "geometric box '(lower left,upper right)'"},
      {604, "geometric polygon '(pt1,...)'"},
      {628, "geometric line"},
      {650, "network IP address/netmask, network address"},
      {700, "single-precision floating point number, 4-byte storage"},
      {701, "double-precision floating point number, 8-byte storage"},
      {705, "pseudo-type representing an undetermined type"},
      {718, "geometric circle '(center,radius)'"},
      {774, "XX:XX:XX:XX:XX:XX:XX:XX, MAC address"},
      {790, "monetary amounts, $d,ddd.cc"},
      {829, "XX:XX:XX:XX:XX:XX, MAC address"},
      {869, "IP address/netmask, host address, netmask optional"},
      {1033, "access control list"},
      {1042, "char(length), blank-padded string, fixed storage length"},
      {1043, "varchar(length), non-blank-padded string, variable storage length"},
      {1082, "date"},
      {1083, "time of day"},
      {1114, "date and time"},
      {1184, "date and time with time zone"},
      {1186, "@ <number> <units>, time interval"},
      {1266, "time of day with time zone"},
      {1560, "fixed-length bit string"},
      {1562, "variable-length bit string"},
      {1700, "numeric(precision, decimal), arbitrary precision number"},
      {1790, "reference to cursor (portal name)"},
      {2202, "registered procedure (with args)"},
      {2203, "registered operator"},
      {2204, "registered operator (with args)"},
      {2205, "registered class"},
      {2206, "registered type"},
      {2249, "pseudo-type representing any composite type"},
      {2275, "C-style string"},
      {2276, "pseudo-type representing any type"},
      {2277, "pseudo-type representing a polymorphic array type"},
      {2278, "pseudo-type for the result of a function with no real result"},
      {2279, "pseudo-type for the result of a trigger function"},
      {2280, "pseudo-type for the result of a language handler function"},
      {2281, "pseudo-type representing an internal data structure"},
      {2283, "pseudo-type representing a polymorphic base type"},
      {2776, "pseudo-type representing a polymorphic base type that is not an array"},
      {2950, "UUID datatype"},
      {2970, "txid snapshot"},
      {3115, "pseudo-type for the result of an FDW handler function"},
      {3220, "PostgreSQL LSN datatype"},
      {3310, "pseudo-type for the result of a tablesample method function"},
      {3361, "multivariate ndistinct coefficients"},
      {3402, "multivariate dependencies"},
      {3500, "pseudo-type representing a polymorphic base type that is an enum"},
      {3614, "text representation for text search"},
      {3615, "query representation for text search"},
      {3642, "GiST index internal text representation for text search"},
      {3734, "registered text search configuration"},
      {3769, "registered text search dictionary"},
      {3802, "Binary JSON"},
      {3831, "pseudo-type representing a range over a polymorphic base type"},
      {3838, "pseudo-type for the result of an event trigger function"},
      {3904, "range of integers"},
      {3906, "range of numerics"},
      {3908, "range of timestamps without time zone"},
      {3910, "range of timestamps with time zone"},
      {3912, "range of dates"},
      {3926, "range of bigints"},
      {4072, "JSON path"},
      {4089, "registered namespace"},
      {4096, "registered role"},
      {4191, "registered collation"},
      {4451, "multirange of integers"},
      {4532, "multirange of numerics"},
      {4533, "multirange of timestamps without time zone"},
      {4534, "multirange of timestamps with time zone"},
      {4535, "multirange of dates"},
      {4536, "multirange of bigints"},
      {4537, "pseudo-type representing a polymorphic base type that is a multirange"},
      {4538, "pseudo-type representing a multirange over a polymorphic common type"},
      {4600, "BRIN bloom summary"},
      {4601, "BRIN minmax-multi summary"},
      {5017, "multivariate MCV list"},
      {5038, "snapshot"},
      {5069, "full transaction id"},
      {5077, "pseudo-type representing a polymorphic common type"},
      {5078, "pseudo-type representing an array of polymorphic common type elements"},
      {5079, "pseudo-type representing a polymorphic common type that is not an array"},
      {5080, "pseudo-type representing a range over a polymorphic common type"},
  };
  auto it = kDescriptions.find(oid);
  return it == kDescriptions.end() ? nullptr : it->second;
}

const char* unimplemented_type_name(uint32_t oid) {
  switch (oid) {
    case 869: return "inet";
    case 3220: return "pg_lsn";
    case 3361: return "pg_ndistinct";
    case 3402: return "pg_dependencies";
    case 5017: return "pg_mcv_list";
    default: return nullptr;
  }
}

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

const SystemView* find_system_row_type(uint32_t oid) {
  const auto& r = registry();
  auto it = r.by_row_type.find(oid);
  return it == r.by_row_type.end() ? nullptr : &r.views[it->second];
}

const std::vector<SystemDomain>& system_domains() { return registry().domains; }

const SystemDomain* find_system_domain(uint32_t oid) {
  const auto& r = registry();
  auto it = r.domain_by_oid.find(oid);
  return it == r.domain_by_oid.end() ? nullptr : &r.domains[it->second];
}

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
