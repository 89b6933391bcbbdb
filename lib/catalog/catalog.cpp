#include "catalog/catalog.h"

#include "catalog/system_views.h"

#include <algorithm>
#include <boost/json.hpp>

#include "common/errors.h"
#include "common/key_codec.h"
#include "common/record.h"
#include "common/value_codec.h"
#include "storage/row_codec.h"
#include "storage/transaction.h"

namespace heliosdb::catalog {
namespace json = boost::json;
namespace {

constexpr char kKindTable = 'T', kKindIndex = 'I', kKindSequence = 'S', kKindNextId = 'N', kKindSchema = 'M',
               kKindExtension = 'X', kKindPublicAccess = 'P', kKindType = 'Y', kKindFunction = 'F',
               kKindStatistics = 'A';

std::string object_key(char kind, uint32_t id) {
  std::string k{storage::space::kCatalog, kind};
  keys::append_u32(k, id);
  return k;
}

std::string hex(std::string_view s) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) { out.push_back(d[c >> 4]); out.push_back(d[c & 15]); }
  return out;
}
std::string unhex(std::string_view s) {
  std::string out;
  auto v = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (size_t i = 0; i + 1 < s.size(); i += 2) out.push_back(static_cast<char>(v(s[i]) << 4 | v(s[i + 1])));
  return out;
}

json::array ids_to_json(const std::vector<uint32_t>& v) {
  json::array a;
  for (auto x : v) a.push_back(x);
  return a;
}
std::vector<uint32_t> ids_from_json(const json::value& v) {
  std::vector<uint32_t> out;
  for (const auto& x : v.as_array()) out.push_back(static_cast<uint32_t>(x.to_number<int64_t>()));
  return out;
}

// Owner and ACL, stored only when they differ from the bootstrap superuser's defaults.
void access_to_json(json::object& o, const Ownership& a) {
  if (a.owner != kBootstrapSuperuser) o["owner"] = a.owner;
  if (!a.acl) return;
  json::array items;
  for (const auto& i : *a.acl) items.push_back(json::array{i.grantee, i.grantor, i.privileges, i.grant_options});
  o["acl"] = std::move(items);
}

Ownership access_from_json(const json::object& o) {
  Ownership a;
  if (const auto* v = o.if_contains("owner")) a.owner = static_cast<uint32_t>(v->to_number<int64_t>());
  if (const auto* v = o.if_contains("acl")) {
    a.acl.emplace();
    for (const auto& x : v->as_array()) {
      const auto& i = x.as_array();
      auto n = [&](size_t k) { return static_cast<uint32_t>(i.at(k).to_number<int64_t>()); };
      a.acl->push_back({n(0), n(1), n(2), n(3)});
    }
  }
  return a;
}

std::string to_json(const TableDef& t) {
  json::object o;
  o["id"] = t.id; o["schema"] = t.schema; o["name"] = t.name;
  o["next_column_id"] = t.next_column_id;
  o["pk"] = ids_to_json(t.primary_key);
  o["indexes"] = ids_to_json(t.indexes);
  json::array cols;
  for (const auto& c : t.columns) {
    json::object co;
    co["id"] = c.id; co["name"] = c.name; co["type"] = c.type; co["typmod"] = c.typmod;
    co["not_null"] = c.not_null; co["default"] = c.default_expr;
    co["identity_seq"] = c.identity_seq; co["identity"] = std::string(c.identity ? 1 : 0, c.identity);
    if (c.domain) co["domain"] = c.domain;
    if (!c.comment.empty()) co["comment"] = c.comment;
    if (c.generated) co["generated"] = true;
    if (c.inhcount) co["inhcount"] = c.inhcount;
    if (!c.islocal) co["islocal"] = false;
    if (!c.missing.is_null()) {
      // A row of one value, the value as it is (an enum's label, not its OID: no catalog is at
      // hand when this is read back).
      std::string enc;
      storage::put_varint(enc, 1);
      storage::put_varint(enc, c.id);
      codec::put_value(enc, c.missing);
      co["missing"] = hex(enc);
    }
    cols.push_back(std::move(co));
  }
  o["columns"] = std::move(cols);
  json::array checks;
  for (const auto& ck : t.checks) {
    json::object o{{"name", ck.name}, {"expr", ck.expr}};
    if (!ck.validated) o["validated"] = false;
    if (!ck.comment.empty()) o["comment"] = ck.comment;
    if (ck.inhcount) o["inhcount"] = ck.inhcount;
    if (!ck.islocal) o["islocal"] = false;
    if (ck.noinherit) o["noinherit"] = true;
    checks.push_back(std::move(o));
  }
  o["checks"] = std::move(checks);
  if (!t.comment.empty()) o["comment"] = t.comment;
  if (!t.triggers.empty()) {
    json::array trs;
    for (const auto& g : t.triggers) {
      json::array args;
      for (const auto& a : g.args) args.push_back(json::value(a));
      trs.push_back(json::object{{"id", g.id}, {"name", g.name}, {"function", g.function}, {"events", g.events},
                                 {"before", g.before}, {"row", g.row}, {"columns", ids_to_json(g.columns)},
                                 {"when", g.when}, {"args", std::move(args)}, {"enabled", g.enabled}});
    }
    o["triggers"] = std::move(trs);
  }
  if (!t.rules.empty()) {
    json::array rs;
    for (const auto& r : t.rules)
      rs.push_back(json::object{{"id", r.id}, {"name", r.name}, {"event", std::string(1, r.event)}, {"instead", r.instead},
                                {"qual", r.qual}, {"actions", r.actions}, {"definition", r.definition}});
    o["rules"] = std::move(rs);
  }
  access_to_json(o, t.access);
  if (!t.parents.empty()) o["parents"] = ids_to_json(t.parents);
  if (t.is_partitioned()) o["partition_key"] = t.partition_key;
  if (t.unlogged) o["unlogged"] = true;
  if (t.is_partition()) o["partition_bound"] = t.partition_bound;
  if (t.is_matview()) {
    o["matview_query"] = t.matview_query;
    o["view_definition"] = t.view_definition;
    o["view_depends"] = ids_to_json(t.view_depends);
    o["populated"] = t.populated;
  }
  if (t.is_view()) {
    o["view_query"] = t.view_query;
    o["view_definition"] = t.view_definition;
    o["view_depends"] = ids_to_json(t.view_depends);
  }
  if (!t.foreign_keys.empty()) {
    json::array fks;
    for (const auto& fk : t.foreign_keys) {
      fks.push_back(json::object{{"name", fk.name}, {"columns", ids_to_json(fk.columns)}, {"ref_table", fk.ref_table},
                                 {"ref_columns", ids_to_json(fk.ref_columns)}, {"ref_index", fk.ref_index},
                                 {"match", std::string(1, fk.match)}, {"on_update", std::string(1, fk.on_update)},
                                 {"on_delete", std::string(1, fk.on_delete)}, {"deferrable", fk.deferrable},
                                 {"deferred", fk.deferred}, {"validated", fk.validated}});
      if (!fk.comment.empty()) fks.back().as_object()["comment"] = fk.comment;
    }
    o["foreign_keys"] = std::move(fks);
  }
  return json::serialize(o);
}

TableDef table_from_json(std::string_view s) {
  json::object o = json::parse(s).as_object();
  TableDef t;
  t.id = static_cast<uint32_t>(o["id"].to_number<int64_t>());
  t.schema = json::value_to<std::string>(o["schema"]);
  t.name = json::value_to<std::string>(o["name"]);
  t.next_column_id = static_cast<uint32_t>(o["next_column_id"].to_number<int64_t>());
  t.primary_key = ids_from_json(o["pk"]);
  t.indexes = ids_from_json(o["indexes"]);
  t.access = access_from_json(o);
  for (const auto& cv : o["columns"].as_array()) {
    const auto& co = cv.as_object();
    ColumnDef c;
    c.id = static_cast<uint32_t>(co.at("id").to_number<int64_t>());
    c.name = json::value_to<std::string>(co.at("name"));
    c.type = static_cast<uint32_t>(co.at("type").to_number<int64_t>());
    c.typmod = static_cast<int32_t>(co.at("typmod").to_number<int64_t>());
    c.not_null = co.at("not_null").as_bool();
    c.default_expr = json::value_to<std::string>(co.at("default"));
    c.identity_seq = static_cast<uint32_t>(co.at("identity_seq").to_number<int64_t>());
    auto ident = json::value_to<std::string>(co.at("identity"));
    c.identity = ident.empty() ? 0 : ident[0];
    c.missing = Value::null(c.type);
    if (const auto* cm = co.if_contains("comment")) c.comment = json::value_to<std::string>(*cm);
    if (const auto* d = co.if_contains("domain")) c.domain = static_cast<uint32_t>(d->to_number<int64_t>());
    if (const auto* g = co.if_contains("generated")) c.generated = g->as_bool();
    if (const auto* v = co.if_contains("inhcount")) c.inhcount = static_cast<int32_t>(v->to_number<int64_t>());
    if (const auto* v = co.if_contains("islocal")) c.islocal = v->as_bool();
    if (const auto* m = co.if_contains("missing")) {
      std::vector<Value> vals;
      storage::decode_row(unhex(json::value_to<std::string>(*m)), {c.id}, {c.type}, {Value::null(c.type)}, vals);
      c.missing = vals[0];
    }
    t.columns.push_back(std::move(c));
  }
  for (const auto& cv : o["checks"].as_array()) {
    t.checks.push_back({json::value_to<std::string>(cv.at("name")), json::value_to<std::string>(cv.at("expr")),
                        !cv.as_object().contains("validated")});
    if (const auto* cm = cv.as_object().if_contains("comment")) t.checks.back().comment = json::value_to<std::string>(*cm);
    if (const auto* v = cv.as_object().if_contains("inhcount")) t.checks.back().inhcount = static_cast<int32_t>(v->to_number<int64_t>());
    if (const auto* v = cv.as_object().if_contains("islocal")) t.checks.back().islocal = v->as_bool();
    if (const auto* v = cv.as_object().if_contains("noinherit")) t.checks.back().noinherit = v->as_bool();
  }
  if (const auto* cm = o.if_contains("comment")) t.comment = json::value_to<std::string>(*cm);
  if (const auto* trs = o.if_contains("triggers"))
    for (const auto& x : trs->as_array()) {
      const auto& g = x.as_object();
      TriggerDef d;
      d.id = static_cast<uint32_t>(g.at("id").to_number<int64_t>());
      d.name = json::value_to<std::string>(g.at("name"));
      d.function = static_cast<uint32_t>(g.at("function").to_number<int64_t>());
      d.events = static_cast<int>(g.at("events").to_number<int64_t>());
      d.before = g.at("before").as_bool();
      d.row = g.at("row").as_bool();
      d.columns = ids_from_json(g.at("columns"));
      d.when = json::value_to<std::string>(g.at("when"));
      for (const auto& a : g.at("args").as_array()) d.args.push_back(json::value_to<std::string>(a));
      d.enabled = g.at("enabled").as_bool();
      t.triggers.push_back(std::move(d));
    }
  if (const auto* rs = o.if_contains("rules"))
    for (const auto& x : rs->as_array()) {
      const auto& g = x.as_object();
      RuleDef d;
      d.id = static_cast<uint32_t>(g.at("id").to_number<int64_t>());
      d.name = json::value_to<std::string>(g.at("name"));
      d.event = json::value_to<std::string>(g.at("event")).at(0);
      d.instead = g.at("instead").as_bool();
      d.qual = json::value_to<std::string>(g.at("qual"));
      d.actions = json::value_to<std::string>(g.at("actions"));
      d.definition = json::value_to<std::string>(g.at("definition"));
      t.rules.push_back(std::move(d));
    }
  if (const auto* p = o.if_contains("parents")) t.parents = ids_from_json(*p);
  if (const auto* k = o.if_contains("partition_key")) t.partition_key = json::value_to<std::string>(*k);
  if (const auto* u = o.if_contains("unlogged")) t.unlogged = u->as_bool();
  if (const auto* b = o.if_contains("partition_bound")) t.partition_bound = json::value_to<std::string>(*b);
  if (const auto* mq = o.if_contains("matview_query")) {
    t.matview_query = json::value_to<std::string>(*mq);
    t.view_definition = json::value_to<std::string>(o["view_definition"]);
    t.populated = o["populated"].as_bool();
    t.view_depends = ids_from_json(o["view_depends"]);
  }
  if (const auto* vq = o.if_contains("view_query")) {
    t.view_query = json::value_to<std::string>(*vq);
    t.view_definition = json::value_to<std::string>(o["view_definition"]);
    t.view_depends = ids_from_json(o["view_depends"]);
  }
  if (const auto* fks = o.if_contains("foreign_keys")) {
    for (const auto& fv : fks->as_array()) {
      const auto& f = fv.as_object();
      ForeignKeyDef fk;
      fk.name = json::value_to<std::string>(f.at("name"));
      fk.columns = ids_from_json(f.at("columns"));
      fk.ref_table = static_cast<uint32_t>(f.at("ref_table").to_number<int64_t>());
      fk.ref_columns = ids_from_json(f.at("ref_columns"));
      fk.ref_index = static_cast<uint32_t>(f.at("ref_index").to_number<int64_t>());
      fk.match = f.at("match").as_string()[0];
      fk.on_update = f.at("on_update").as_string()[0];
      fk.on_delete = f.at("on_delete").as_string()[0];
      fk.deferrable = f.at("deferrable").as_bool();
      fk.deferred = f.at("deferred").as_bool();
      if (const auto* v = f.if_contains("validated")) fk.validated = v->as_bool();
      if (const auto* cm = f.if_contains("comment")) fk.comment = json::value_to<std::string>(*cm);
      t.foreign_keys.push_back(std::move(fk));
    }
  }
  return t;
}

std::string to_json(const IndexDef& i) {
  json::object o;
  o["id"] = i.id; o["name"] = i.name; o["table_id"] = i.table_id;
  o["columns"] = ids_to_json(i.columns);
  o["unique"] = i.unique; o["primary"] = i.primary; o["is_constraint"] = i.is_constraint;
  if (i.deferrable) o["deferrable"] = true;
  if (i.deferred) o["deferred"] = true;
  if (i.nulls_not_distinct) o["nulls_not_distinct"] = true;
  if (!i.comment.empty()) o["comment"] = i.comment;
  if (!i.constraint_comment.empty()) o["constraint_comment"] = i.constraint_comment;
  if (!i.exprs.empty()) {
    json::array e;
    for (const auto& x : i.exprs) e.push_back(json::value(x));
    o["exprs"] = std::move(e);
  }
  if (!i.predicate.empty()) o["predicate"] = i.predicate;
  if (!i.options.empty()) {
    json::array a;
    for (int16_t x : i.options) a.push_back(x);
    o["options"] = std::move(a);
  }
  return json::serialize(o);
}

IndexDef index_from_json(std::string_view s) {
  json::object o = json::parse(s).as_object();
  IndexDef i;
  i.id = static_cast<uint32_t>(o["id"].to_number<int64_t>());
  i.name = json::value_to<std::string>(o["name"]);
  i.table_id = static_cast<uint32_t>(o["table_id"].to_number<int64_t>());
  i.columns = ids_from_json(o["columns"]);
  i.unique = o["unique"].as_bool();
  i.primary = o["primary"].as_bool();
  i.is_constraint = o["is_constraint"].as_bool();
  if (const auto* d = o.if_contains("deferrable")) i.deferrable = d->as_bool();
  if (const auto* d = o.if_contains("deferred")) i.deferred = d->as_bool();
  if (const auto* d = o.if_contains("nulls_not_distinct")) i.nulls_not_distinct = d->as_bool();
  if (const auto* cm = o.if_contains("comment")) i.comment = json::value_to<std::string>(*cm);
  if (const auto* cm = o.if_contains("constraint_comment")) i.constraint_comment = json::value_to<std::string>(*cm);
  if (const auto* e = o.if_contains("exprs"))
    for (const auto& x : e->as_array()) i.exprs.push_back(json::value_to<std::string>(x));
  if (const auto* p = o.if_contains("predicate")) i.predicate = json::value_to<std::string>(*p);
  if (const auto* x = o.if_contains("options"))
    for (const auto& v : x->as_array()) i.options.push_back(static_cast<int16_t>(v.to_number<int64_t>()));
  return i;
}

std::string to_json(const SequenceDef& s) {
  json::object o;
  o["id"] = s.id; o["schema"] = s.schema; o["name"] = s.name; o["type"] = s.type;
  o["start"] = s.start; o["increment"] = s.increment; o["min"] = s.min; o["max"] = s.max;
  o["cache"] = s.cache; o["cycle"] = s.cycle;
  o["owner_table"] = s.owner_table; o["owner_column"] = s.owner_column;
  if (!s.comment.empty()) o["comment"] = s.comment;
  access_to_json(o, s.access);
  return json::serialize(o);
}

SequenceDef sequence_from_json(std::string_view str) {
  json::object o = json::parse(str).as_object();
  SequenceDef s;
  s.id = static_cast<uint32_t>(o["id"].to_number<int64_t>());
  s.schema = json::value_to<std::string>(o["schema"]);
  s.name = json::value_to<std::string>(o["name"]);
  s.type = static_cast<uint32_t>(o["type"].to_number<int64_t>());
  s.start = o["start"].to_number<int64_t>();
  s.increment = o["increment"].to_number<int64_t>();
  s.min = o["min"].to_number<int64_t>();
  s.max = o["max"].to_number<int64_t>();
  s.cache = o["cache"].to_number<int64_t>();
  s.cycle = o["cycle"].as_bool();
  s.owner_table = static_cast<uint32_t>(o["owner_table"].to_number<int64_t>());
  s.owner_column = static_cast<uint32_t>(o["owner_column"].to_number<int64_t>());
  if (const auto* cm = o.if_contains("comment")) s.comment = json::value_to<std::string>(*cm);
  s.access = access_from_json(o);
  return s;
}

std::string qualified(const std::string& schema, const std::string& name) { return schema + "." + name; }

std::string to_json(const FunctionDef& f) {
  json::array names, types;
  for (const auto& n : f.arg_names) names.push_back(json::value(n));
  for (auto t : f.arg_types) types.push_back(t);
  json::object o{{"id", f.id}, {"schema", f.schema}, {"name", f.name}, {"arg_names", std::move(names)},
                 {"arg_types", std::move(types)}, {"ret_type", f.ret_type}, {"language", f.language},
                 {"body", f.body}, {"definition", f.definition}, {"volatility", std::string(1, f.volatility)},
                 {"strict", f.strict}};
  if (f.returns_set) {
    o["returns_set"] = true;
    json::array cols;
    for (const auto& [n, t] : f.table_columns) cols.push_back(json::array{json::value(n), t});
    o["table_columns"] = std::move(cols);
  }
  if (std::ranges::any_of(f.arg_defaults, [](const std::string& d) { return !d.empty(); })) {
    json::array defaults;
    for (const auto& d : f.arg_defaults) defaults.push_back(json::value(d));
    o["arg_defaults"] = std::move(defaults);
  }
  if (!f.comment.empty()) o["comment"] = f.comment;
  if (f.kind == 'p') o["kind"] = "p";
  if (!f.arg_modes.empty()) o["arg_modes"] = f.arg_modes;
  if (f.kind == 'a') {
    json::object a{{"sfunc", f.agg.sfunc}, {"sfunc_id", f.agg.sfunc_id}, {"finalfunc", f.agg.finalfunc},
                   {"finalfunc_id", f.agg.finalfunc_id}, {"stype", f.agg.stype}};
    if (f.agg.has_initcond) a["initcond"] = f.agg.initcond;
    o["aggregate"] = std::move(a);
  }
  access_to_json(o, f.access);
  return json::serialize(o);
}

FunctionDef function_from_json(std::string_view str) {
  json::object o = json::parse(str).as_object();
  FunctionDef f;
  f.id = static_cast<uint32_t>(o.at("id").to_number<int64_t>());
  f.schema = json::value_to<std::string>(o.at("schema"));
  f.name = json::value_to<std::string>(o.at("name"));
  for (const auto& n : o.at("arg_names").as_array()) f.arg_names.push_back(json::value_to<std::string>(n));
  f.arg_types = ids_from_json(o.at("arg_types"));
  f.ret_type = static_cast<uint32_t>(o.at("ret_type").to_number<int64_t>());
  f.language = json::value_to<std::string>(o.at("language"));
  f.body = json::value_to<std::string>(o.at("body"));
  f.definition = json::value_to<std::string>(o.at("definition"));
  f.volatility = json::value_to<std::string>(o.at("volatility"))[0];
  f.strict = o.at("strict").as_bool();
  if (const auto* rs = o.if_contains("returns_set")) f.returns_set = rs->as_bool();
  if (const auto* tc = o.if_contains("table_columns"))
    for (const auto& x : tc->as_array())
      f.table_columns.emplace_back(json::value_to<std::string>(x.as_array().at(0)),
                                   static_cast<uint32_t>(x.as_array().at(1).to_number<int64_t>()));
  if (const auto* d = o.if_contains("arg_defaults"))
    for (const auto& x : d->as_array()) f.arg_defaults.push_back(json::value_to<std::string>(x));
  if (const auto* cm = o.if_contains("comment")) f.comment = json::value_to<std::string>(*cm);
  if (const auto* k = o.if_contains("kind")) f.kind = json::value_to<std::string>(*k)[0];
  if (const auto* m = o.if_contains("arg_modes")) f.arg_modes = json::value_to<std::string>(*m);
  if (const auto* ag = o.if_contains("aggregate")) {
    const auto& a = ag->as_object();
    f.kind = 'a';
    f.agg.sfunc = json::value_to<std::string>(a.at("sfunc"));
    f.agg.sfunc_id = static_cast<uint32_t>(a.at("sfunc_id").to_number<int64_t>());
    f.agg.finalfunc = json::value_to<std::string>(a.at("finalfunc"));
    f.agg.finalfunc_id = static_cast<uint32_t>(a.at("finalfunc_id").to_number<int64_t>());
    f.agg.stype = static_cast<uint32_t>(a.at("stype").to_number<int64_t>());
    if (const auto* ic = a.if_contains("initcond")) {
      f.agg.has_initcond = true;
      f.agg.initcond = json::value_to<std::string>(*ic);
    }
  }
  f.access = access_from_json(o);
  return f;
}

json::array checks_to_json(const std::vector<CheckDef>& checks) {
  json::array a;
  for (const auto& c : checks) {
    a.push_back(json::object{{"name", c.name}, {"expr", c.expr}, {"validated", c.validated}});
    if (!c.comment.empty()) a.back().as_object()["comment"] = c.comment;
  }
  return a;
}

std::vector<CheckDef> checks_from_json(const json::value& v) {
  std::vector<CheckDef> out;
  for (const auto& x : v.as_array()) {
    const auto& o = x.as_object();
    out.push_back({json::value_to<std::string>(o.at("name")), json::value_to<std::string>(o.at("expr")), o.at("validated").as_bool()});
    if (const auto* cm = o.if_contains("comment")) out.back().comment = json::value_to<std::string>(*cm);
  }
  return out;
}

std::string to_json(const TypeDef& t) {
  json::object o{{"id", t.id}, {"array_id", t.array_id}, {"schema", t.schema}, {"name", t.name},
                 {"kind", std::string(1, t.kind)}};
  if (t.enum_type) {
    json::array labels;
    for (size_t i = 0; i < t.enum_type->labels.size(); ++i)
      labels.push_back(json::array{json::value(t.enum_type->labels[i]), t.enum_type->sortorders[i], t.enum_type->label_oids[i]});
    o["labels"] = std::move(labels);
  }
  if (t.composite) {
    json::array attrs;
    const auto& sh = t.composite->shape;
    for (size_t i = 0; i < sh.size(); ++i) {
      json::array a{json::value(sh.names[i]), sh.types[i], sh.typmods[i]};
      if (uint32_t d = t.composite->domain(i)) a.push_back(d);
      attrs.push_back(std::move(a));
    }
    o["attributes"] = std::move(attrs);
  }
  if (t.kind == 'd') {
    o["base_type"] = t.base_type; o["base_typmod"] = t.base_typmod; o["not_null"] = t.not_null;
    if (!t.default_expr.empty()) o["default"] = t.default_expr;
    o["checks"] = checks_to_json(t.checks);
  }
  if (!t.comment.empty()) o["comment"] = t.comment;
  access_to_json(o, t.access);
  return json::serialize(o);
}

TypeDef type_from_json(std::string_view str) {
  json::object o = json::parse(str).as_object();
  TypeDef t;
  auto u32 = [&](const char* k) { return static_cast<uint32_t>(o.at(k).to_number<int64_t>()); };
  t.id = u32("id");
  t.array_id = u32("array_id");
  t.schema = json::value_to<std::string>(o.at("schema"));
  t.name = json::value_to<std::string>(o.at("name"));
  t.kind = json::value_to<std::string>(o.at("kind"))[0];
  if (const auto* l = o.if_contains("labels")) {
    types::EnumType e;
    e.oid = t.id; e.array_oid = t.array_id; e.schema = t.schema; e.name = t.name;
    for (const auto& x : l->as_array()) {
      const auto& a = x.as_array();
      e.labels.push_back(json::value_to<std::string>(a.at(0)));
      e.sortorders.push_back(static_cast<float>(a.at(1).to_number<double>()));
      e.label_oids.push_back(static_cast<uint32_t>(a.at(2).to_number<int64_t>()));
    }
    t.enum_type = types::make_enum(std::move(e));
  }
  if (const auto* attrs = o.if_contains("attributes")) {
    types::CompositeType c;
    c.oid = t.id; c.array_oid = t.array_id; c.relid = t.id; c.schema = t.schema; c.name = t.name;
    for (const auto& x : attrs->as_array()) {
      const auto& a = x.as_array();
      c.shape.names.push_back(json::value_to<std::string>(a.at(0)));
      c.shape.types.push_back(static_cast<uint32_t>(a.at(1).to_number<int64_t>()));
      c.shape.typmods.push_back(static_cast<int32_t>(a.at(2).to_number<int64_t>()));
      if (a.size() > 3) {
        c.domains.resize(c.shape.size());
        c.domains.back() = static_cast<uint32_t>(a.at(3).to_number<int64_t>());
      }
    }
    t.composite = types::make_composite(std::move(c));
  }
  if (t.kind == 'd') {
    t.base_type = u32("base_type");
    t.base_typmod = static_cast<int32_t>(o.at("base_typmod").to_number<int64_t>());
    t.not_null = o.at("not_null").as_bool();
    if (const auto* d = o.if_contains("default")) t.default_expr = json::value_to<std::string>(*d);
    t.checks = checks_from_json(o.at("checks"));
  }
  if (const auto* cm = o.if_contains("comment")) t.comment = json::value_to<std::string>(*cm);
  t.access = access_from_json(o);
  return t;
}

}  // namespace

std::vector<std::shared_ptr<const TableDef>> Catalog::children(uint32_t id) const {
  std::vector<std::shared_ptr<const TableDef>> out;
  for (const auto& [tid, t] : tables_)
    if (std::ranges::count(t->parents, id)) out.push_back(t);
  return out;
}

int TableDef::column_index(std::string_view n) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == n) return static_cast<int>(i);
  return -1;
}

int TableDef::column_index_by_id(uint32_t cid) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].id == cid) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> TableDef::column_names(const std::vector<uint32_t>& ids) const {
  std::vector<std::string> out;
  for (uint32_t cid : ids) {
    int i = column_index_by_id(cid);
    out.push_back(i < 0 ? std::string() : columns[static_cast<size_t>(i)].name);
  }
  return out;
}

namespace {
thread_local const std::string* g_temp_schema = nullptr;
thread_local const std::vector<std::string>* g_search_path = nullptr;
const std::string kNoTempSchema;
const std::vector<std::string> kDefaultSearchPath{"public"};
}  // namespace

const std::string& temp_schema() { return g_temp_schema ? *g_temp_schema : kNoTempSchema; }
const std::vector<std::string>& search_path_schemas() { return g_search_path ? *g_search_path : kDefaultSearchPath; }

TempSchemaScope::TempSchemaScope(const std::string* schema, const std::vector<std::string>* search_path)
    : saved_(g_temp_schema), saved_path_(g_search_path) {
  g_temp_schema = schema;
  if (search_path) g_search_path = search_path;
}

TempSchemaScope::~TempSchemaScope() {
  g_temp_schema = saved_;
  g_search_path = saved_path_;
}

std::string Catalog::resolve_schema(const std::string& schema, const std::string& name) const {
  const std::string& temp = temp_schema();
  if (schema == "pg_temp") return temp.empty() ? schema : temp;
  if (!schema.empty()) return schema;
  if (!temp.empty() && relation_names_.count(qualified(temp, name))) return temp;
  const auto& path = search_path_schemas();
  // pg_catalog comes first unless the path places it.
  if (std::ranges::find(path, "pg_catalog") == path.end() && relation_names_.count(qualified("pg_catalog", name)))
    return "pg_catalog";
  for (const auto& s : path)
    if (relation_names_.count(qualified(s, name))) return s;
  return "public";
}

std::string Catalog::creation_schema() const {
  for (const auto& s : search_path_schemas())
    if (s != "pg_catalog" && s != "information_schema" && schema_oid(s)) return s;
  return "";
}

uint32_t Catalog::schema_oid(std::string_view name) const {
  if (uint32_t o = namespace_oid(name)) return o;
  auto it = schemas_.find(std::string(name));
  return it == schemas_.end() ? 0 : it->second->id;
}

std::string Catalog::schema_name(uint32_t oid) const {
  std::string n = namespace_name(oid);
  if (!n.empty()) return n;
  for (const auto& [name, s] : schemas_)
    if (s->id == oid) return name;
  return "";
}

void Catalog::put_schema(storage::Transaction& txn, SchemaDef s) {
  json::object o{{"id", s.id}, {"name", s.name}};
  if (!s.comment.empty()) o["comment"] = s.comment;
  access_to_json(o, s.access);
  txn.put(object_key(kKindSchema, s.id), json::serialize(o));
  std::string name = s.name;
  schemas_[name] = std::make_shared<const SchemaDef>(std::move(s));
}

Ownership Catalog::schema_access(const std::string& name) const {
  if (name == "public" && public_access_) return *public_access_;
  if (auto it = schemas_.find(name); it != schemas_.end()) return it->second->access;
  return initial_schema_access(name);
}

Ownership Catalog::initial_schema_access(const std::string& name) {
  if (name == "public")
    return Ownership{kDatabaseOwnerRole, std::vector<AclItem>{{kDatabaseOwnerRole, kDatabaseOwnerRole, kSchemaPrivileges, 0},
                                                              {kPublicRole, kDatabaseOwnerRole, kUsage, 0}}};
  if (name.starts_with("pg_temp") || name.starts_with("pg_toast_temp")) return Ownership{kBootstrapSuperuser, std::vector<AclItem>{{kPublicRole, kBootstrapSuperuser, kSchemaPrivileges, 0}}};
  return Ownership{kBootstrapSuperuser, std::vector<AclItem>{{kBootstrapSuperuser, kBootstrapSuperuser, kSchemaPrivileges, 0},
                                                             {kPublicRole, kBootstrapSuperuser, kUsage, 0}}};
}

void Catalog::set_schema_access(storage::Transaction& txn, const std::string& name, Ownership access) {
  if (name == "public") {
    json::object o;
    access_to_json(o, access);
    o["owner"] = access.owner;
    txn.put(object_key(kKindPublicAccess, 0), json::serialize(o));
    public_access_ = std::move(access);
    return;
  }
  auto it = schemas_.find(name);
  if (it == schemas_.end()) return;
  SchemaDef s = *it->second;
  s.access = std::move(access);
  put_schema(txn, std::move(s));
}

void Catalog::drop_schema(storage::Transaction& txn, const std::string& name) {
  auto it = schemas_.find(name);
  if (it == schemas_.end()) return;
  txn.del(object_key(kKindSchema, it->second->id));
  schemas_.erase(it);
}

void Catalog::put_extension(storage::Transaction& txn, ExtensionDef e) {
  txn.put(object_key(kKindExtension, e.id),
          json::serialize(json::object{{"id", e.id}, {"name", e.name}, {"version", e.version}, {"schema", e.schema}}));
  std::string name = e.name;
  extensions_[name] = std::move(e);
}

void Catalog::drop_extension(storage::Transaction& txn, const std::string& name) {
  auto it = extensions_.find(name);
  if (it == extensions_.end()) return;
  txn.del(object_key(kKindExtension, it->second.id));
  extensions_.erase(it);
}

std::shared_ptr<const TableDef> Catalog::table(const std::string& schema, const std::string& name) const {
  auto it = relation_names_.find(qualified(resolve_schema(schema, name), name));
  if (it == relation_names_.end()) return nullptr;
  return table(it->second);
}

std::shared_ptr<const TableDef> Catalog::table(uint32_t id) const {
  auto it = tables_.find(id);
  return it == tables_.end() ? nullptr : it->second;
}

std::shared_ptr<const IndexDef> Catalog::index(const std::string& schema, const std::string& name) const {
  auto it = relation_names_.find(qualified(resolve_schema(schema, name), name));
  if (it == relation_names_.end()) return nullptr;
  return index(it->second);
}

std::shared_ptr<const IndexDef> Catalog::index(uint32_t id) const {
  auto it = indexes_.find(id);
  return it == indexes_.end() ? nullptr : it->second;
}

std::shared_ptr<const SequenceDef> Catalog::sequence(const std::string& schema, const std::string& name) const {
  auto it = relation_names_.find(qualified(resolve_schema(schema, name), name));
  if (it == relation_names_.end()) return nullptr;
  return sequence(it->second);
}

std::shared_ptr<const SequenceDef> Catalog::sequence(uint32_t id) const {
  auto it = sequences_.find(id);
  return it == sequences_.end() ? nullptr : it->second;
}

std::shared_ptr<const FunctionDef> Catalog::function(uint32_t id) const {
  auto it = functions_.find(id);
  return it == functions_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const FunctionDef>> Catalog::functions(const std::string& schema, const std::string& name) const {
  std::vector<std::shared_ptr<const FunctionDef>> out;
  auto in = [&](const std::string& s) {
    for (const auto& [id, f] : functions_)
      if (f->name == name && f->schema == s) out.push_back(f);
  };
  if (!schema.empty()) {
    in(schema);
    return out;
  }
  for (const auto& s : search_path_schemas()) {
    in(s);
    if (!out.empty()) break;
  }
  return out;
}

void Catalog::put_function(storage::Transaction& txn, FunctionDef f) {
  txn.put(object_key(kKindFunction, f.id), to_json(f));
  uint32_t id = f.id;
  functions_[id] = std::make_shared<const FunctionDef>(std::move(f));
}

void Catalog::drop_function(storage::Transaction& txn, uint32_t id) {
  if (functions_.erase(id)) txn.del(object_key(kKindFunction, id));
}

std::shared_ptr<const TypeDef> Catalog::type(const std::string& schema, const std::string& name) const {
  if (schema.empty()) {
    for (const auto& s : search_path_schemas()) {
      auto it = type_names_.find(qualified(s, name));
      if (it != type_names_.end()) return type(it->second);
    }
    return nullptr;
  }
  auto it = type_names_.find(qualified(schema, name));
  return it == type_names_.end() ? nullptr : type(it->second);
}

std::shared_ptr<const TypeDef> Catalog::type(uint32_t oid) const {
  auto it = types_.find(oid);
  if (it != types_.end()) return it->second;
  auto a = array_types_.find(oid);
  return a == array_types_.end() ? nullptr : type(a->second);
}

void Catalog::put_type(storage::Transaction& txn, TypeDef t) {
  if (auto old = type(t.id)) type_names_.erase(qualified(old->schema, old->name));
  type_names_[qualified(t.schema, t.name)] = t.id;
  if (t.array_id) array_types_[t.array_id] = t.id;
  if (t.enum_type && (t.enum_type->name != t.name || t.enum_type->schema != t.schema)) {
    types::EnumType e = *t.enum_type;
    e.name = t.name;
    e.schema = t.schema;
    t.enum_type = types::make_enum(std::move(e));
  }
  if (t.composite && (t.composite->name != t.name || t.composite->schema != t.schema)) {
    types::CompositeType c = *t.composite;
    c.name = t.name;
    c.schema = t.schema;
    t.composite = types::make_composite(std::move(c));
  }
  txn.put(object_key(kKindType, t.id), to_json(t));
  types_[t.id] = std::make_shared<const TypeDef>(std::move(t));
}

void Catalog::drop_type(storage::Transaction& txn, uint32_t id) {
  auto t = type(id);
  if (!t || t->id != id) return;
  type_names_.erase(qualified(t->schema, t->name));
  array_types_.erase(t->array_id);
  types_.erase(id);
  txn.del(object_key(kKindType, id));
}

bool Catalog::relation_exists(const std::string& schema, const std::string& name) const {
  return relation_names_.count(qualified(resolve_schema(schema, name), name)) > 0;
}

uint32_t Catalog::allocate_id(storage::Transaction& txn) {
  uint32_t id = next_id_++;
  std::string v;
  keys::append_u32(v, next_id_);
  txn.put(object_key(kKindNextId, 0), v);
  return id;
}

void Catalog::put_table(storage::Transaction& txn, TableDef t) {
  // A table's indexes are in its schema: they move with it, and those put before a new table
  // (CREATE TABLE's keys) were named in put_index's default schema.
  auto old = table(t.id);
  if (old) relation_names_.erase(qualified(old->schema, old->name));
  const std::string& was = old ? old->schema : "public";
  for (uint32_t iid : t.indexes)
    if (auto ix = index(iid)) {
      if (auto it = relation_names_.find(qualified(was, ix->name)); it != relation_names_.end() && it->second == iid)
        relation_names_.erase(it);
      relation_names_[qualified(t.schema, ix->name)] = iid;
    }
  relation_names_[qualified(t.schema, t.name)] = t.id;
  txn.put(object_key(kKindTable, t.id), to_json(t));
  // The statistics of columns it no longer has go with them (PostgreSQL's RemoveStatistics).
  if (auto st = statistics(t.id)) {
    TableStatistics kept = *st;
    std::erase_if(kept.columns, [&](const auto& c) { return t.column_index_by_id(c.first) < 0; });
    if (kept.columns.size() != st->columns.size()) put_statistics(txn, t.id, std::move(kept));
  }
  tables_[t.id] = std::make_shared<const TableDef>(std::move(t));
}

void Catalog::drop_table(storage::Transaction& txn, uint32_t id) {
  auto t = table(id);
  if (!t) return;
  relation_names_.erase(qualified(t->schema, t->name));
  tables_.erase(id);
  txn.del(object_key(kKindTable, id));
  if (statistics_.erase(id)) txn.del(object_key(kKindStatistics, id));
}

std::shared_ptr<const TableStatistics> Catalog::statistics(uint32_t table_id) const {
  auto it = statistics_.find(table_id);
  return it == statistics_.end() ? nullptr : it->second;
}

void Catalog::put_statistics(storage::Transaction& txn, uint32_t table_id, TableStatistics s) {
  txn.put(object_key(kKindStatistics, table_id), to_json(s));
  statistics_[table_id] = std::make_shared<const TableStatistics>(std::move(s));
}

void Catalog::drop_column_statistics(storage::Transaction& txn, uint32_t table_id, uint32_t column_id) {
  auto st = statistics(table_id);
  if (!st || !st->columns.count(column_id)) return;
  TableStatistics kept = *st;
  kept.columns.erase(column_id);
  put_statistics(txn, table_id, std::move(kept));
}

void Catalog::put_index(storage::Transaction& txn, IndexDef i) {
  auto t = table(i.table_id);
  std::string schema = t ? t->schema : "public";
  if (auto old = index(i.id)) relation_names_.erase(qualified(schema, old->name));
  relation_names_[qualified(schema, i.name)] = i.id;
  txn.put(object_key(kKindIndex, i.id), to_json(i));
  indexes_[i.id] = std::make_shared<const IndexDef>(std::move(i));
}

void Catalog::drop_index(storage::Transaction& txn, uint32_t id) {
  auto i = index(id);
  if (!i) return;
  auto t = table(i->table_id);
  relation_names_.erase(qualified(t ? t->schema : "public", i->name));
  indexes_.erase(id);
  txn.del(object_key(kKindIndex, id));
}

void Catalog::put_sequence(storage::Transaction& txn, SequenceDef s) {
  if (auto old = sequence(s.id)) relation_names_.erase(qualified(old->schema, old->name));
  relation_names_[qualified(s.schema, s.name)] = s.id;
  txn.put(object_key(kKindSequence, s.id), to_json(s));
  sequences_[s.id] = std::make_shared<const SequenceDef>(std::move(s));
}

void Catalog::drop_sequence(storage::Transaction& txn, uint32_t id) {
  auto s = sequence(id);
  if (!s) return;
  relation_names_.erase(qualified(s->schema, s->name));
  sequences_.erase(id);
  txn.del(object_key(kKindSequence, id));
}

std::shared_ptr<Catalog> Catalog::load(storage::Transaction& txn) {
  auto c = std::make_shared<Catalog>();
  std::string begin{storage::space::kCatalog};
  auto it = txn.scan(begin, keys::prefix_successor(begin));
  for (; it->valid(); it->next()) {
    std::string_view k = it->key();
    if (k.size() < 2) continue;
    switch (k[1]) {
      case kKindNextId: c->next_id_ = keys::read_u32(it->value(), 0); break;
      case kKindTable: {
        TableDef t = table_from_json(it->value());
        c->relation_names_[qualified(t.schema, t.name)] = t.id;
        c->tables_[t.id] = std::make_shared<const TableDef>(std::move(t));
        break;
      }
      case kKindIndex: {
        IndexDef i = index_from_json(it->value());
        c->indexes_[i.id] = std::make_shared<const IndexDef>(std::move(i));
        break;
      }
      case kKindSequence: {
        SequenceDef s = sequence_from_json(it->value());
        c->relation_names_[qualified(s.schema, s.name)] = s.id;
        c->sequences_[s.id] = std::make_shared<const SequenceDef>(std::move(s));
        break;
      }
      case kKindSchema: {
        json::object o = json::parse(it->value()).as_object();
        SchemaDef sd;
        sd.id = static_cast<uint32_t>(o["id"].to_number<int64_t>());
        sd.name = json::value_to<std::string>(o["name"]);
        if (const auto* cm = o.if_contains("comment")) sd.comment = json::value_to<std::string>(*cm);
        sd.access = access_from_json(o);
        std::string name = sd.name;
        c->schemas_[name] = std::make_shared<const SchemaDef>(std::move(sd));
        break;
      }
      case kKindExtension: {
        json::object o = json::parse(it->value()).as_object();
        ExtensionDef e;
        e.id = static_cast<uint32_t>(o["id"].to_number<int64_t>());
        e.name = json::value_to<std::string>(o["name"]);
        e.version = json::value_to<std::string>(o["version"]);
        e.schema = json::value_to<std::string>(o["schema"]);
        std::string name = e.name;
        c->extensions_[name] = std::move(e);
        break;
      }
      case kKindType: {
        TypeDef t = type_from_json(it->value());
        c->type_names_[qualified(t.schema, t.name)] = t.id;
        if (t.array_id) c->array_types_[t.array_id] = t.id;
        c->types_[t.id] = std::make_shared<const TypeDef>(std::move(t));
        break;
      }
      case kKindFunction: {
        FunctionDef f = function_from_json(it->value());
        uint32_t id = f.id;
        c->functions_[id] = std::make_shared<const FunctionDef>(std::move(f));
        break;
      }
      case kKindStatistics:
        if (k.size() >= 6)
          c->statistics_[keys::read_u32(k, 2)] = std::make_shared<const TableStatistics>(statistics_from_json(it->value()));
        break;
      case kKindPublicAccess: c->public_access_ = access_from_json(json::parse(it->value()).as_object()); break;
      default: break;
    }
  }
  for (const auto& [id, i] : c->indexes_) {
    auto t = c->table(i->table_id);
    c->relation_names_[qualified(t ? t->schema : "public", i->name)] = id;
  }
  return c;
}

std::vector<std::pair<std::string, uint32_t>> result_columns(const FunctionDef& f) {
  if (!f.table_columns.empty()) return f.table_columns;
  std::vector<std::pair<std::string, uint32_t>> out;
  if (const record::Shape* shape = record::shape_of(f.ret_type, -1))
    for (size_t k = 0; k < shape->size(); ++k) out.emplace_back(shape->names[k], shape->types[k]);
  if (out.empty()) out.emplace_back(f.name, f.ret_type);
  return out;
}

}  // namespace heliosdb::catalog
