#include "catalog/statistics.h"

#include <boost/json.hpp>

#include "common/value_codec.h"

namespace heliosdb::catalog {
namespace json = boost::json;
namespace {

// Values as their stored datums (codec::put_value), hex in the JSON: an enum keeps its label,
// as rows do, so no catalog is needed to read them back.
std::string values_hex(const std::vector<Value>& values) {
  std::string enc;
  for (const auto& v : values) codec::put_value(enc, v);
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : enc) {
    out.push_back(d[c >> 4]);
    out.push_back(d[c & 15]);
  }
  return out;
}

std::vector<Value> values_from_hex(std::string_view hex, uint32_t type) {
  std::string enc;
  auto v = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (size_t i = 0; i + 1 < hex.size(); i += 2) enc.push_back(static_cast<char>(v(hex[i]) << 4 | v(hex[i + 1])));
  std::vector<Value> out;
  for (size_t pos = 0; pos < enc.size();) out.push_back(codec::get_value(enc, pos, type));
  return out;
}

double number(const json::object& o, const char* key, double otherwise = 0) {
  const auto* v = o.if_contains(key);
  return v ? v->to_number<double>() : otherwise;
}

}  // namespace

std::string to_json(const TableStatistics& s) {
  json::object o;
  o["reltuples"] = s.reltuples;
  o["relpages"] = s.relpages;
  if (s.last_analyze) o["last_analyze"] = s.last_analyze;
  if (s.last_vacuum) o["last_vacuum"] = s.last_vacuum;
  if (s.analyze_count) o["analyze_count"] = s.analyze_count;
  if (s.vacuum_count) o["vacuum_count"] = s.vacuum_count;
  json::array cols;
  for (const auto& [id, c] : s.columns) {
    json::object co{{"id", id}, {"type", c.type}, {"typmod", c.typmod}, {"null_frac", double{c.null_frac}},
                    {"avg_width", c.avg_width}, {"n_distinct", double{c.n_distinct}}};
    if (!c.most_common_vals.empty()) {
      co["mcv"] = values_hex(c.most_common_vals);
      json::array f;
      for (float x : c.most_common_freqs) f.push_back(double{x});
      co["mcf"] = std::move(f);
    }
    if (!c.histogram_bounds.empty()) co["histogram"] = values_hex(c.histogram_bounds);
    if (c.correlation) co["correlation"] = double{*c.correlation};
    cols.push_back(std::move(co));
  }
  o["columns"] = std::move(cols);
  return json::serialize(o);
}

TableStatistics statistics_from_json(std::string_view str) {
  json::object o = json::parse(str).as_object();
  TableStatistics s;
  s.reltuples = number(o, "reltuples", -1);
  s.relpages = static_cast<int64_t>(number(o, "relpages"));
  s.last_analyze = static_cast<int64_t>(number(o, "last_analyze"));
  s.last_vacuum = static_cast<int64_t>(number(o, "last_vacuum"));
  s.analyze_count = static_cast<int64_t>(number(o, "analyze_count"));
  s.vacuum_count = static_cast<int64_t>(number(o, "vacuum_count"));
  for (const auto& cv : o["columns"].as_array()) {
    const auto& co = cv.as_object();
    ColumnStatistics c;
    auto id = static_cast<uint32_t>(number(co, "id"));
    c.type = static_cast<uint32_t>(number(co, "type"));
    c.typmod = static_cast<int32_t>(number(co, "typmod", -1));
    c.null_frac = static_cast<float>(number(co, "null_frac"));
    c.avg_width = static_cast<int32_t>(number(co, "avg_width"));
    c.n_distinct = static_cast<float>(number(co, "n_distinct"));
    if (const auto* m = co.if_contains("mcv")) {
      c.most_common_vals = values_from_hex(m->as_string(), c.type);
      for (const auto& f : co.at("mcf").as_array()) c.most_common_freqs.push_back(static_cast<float>(f.to_number<double>()));
    }
    if (const auto* h = co.if_contains("histogram")) c.histogram_bounds = values_from_hex(h->as_string(), c.type);
    if (const auto* r = co.if_contains("correlation")) c.correlation = static_cast<float>(r->to_number<double>());
    s.columns[id] = std::move(c);
  }
  return s;
}

std::atomic<int64_t>& TableActivity::rows_added(uint32_t table_id) {
  std::lock_guard lock(mu_);
  auto& c = counts_[table_id];
  if (!c) c = std::make_unique<std::atomic<int64_t>>(0);
  return *c;
}

int64_t TableActivity::rows_added_now(uint32_t table_id) const {
  std::lock_guard lock(mu_);
  auto it = counts_.find(table_id);
  return it == counts_.end() ? 0 : it->second->load(std::memory_order_relaxed);
}

void TableActivity::reset(uint32_t table_id) {
  std::lock_guard lock(mu_);
  if (auto it = counts_.find(table_id); it != counts_.end()) it->second->store(0, std::memory_order_relaxed);
}

uint64_t TableActivity::stored_bytes(uint32_t table_id) const {
  std::lock_guard lock(mu_);
  return stored_bytes_ ? stored_bytes_(table_id) : 0;
}

void TableActivity::set_stored_bytes(std::function<uint64_t(uint32_t)> f) {
  std::lock_guard lock(mu_);
  stored_bytes_ = std::move(f);
}

}  // namespace heliosdb::catalog
