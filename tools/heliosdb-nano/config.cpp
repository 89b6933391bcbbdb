#include "config.h"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <set>

#include <toml++/toml.h>

#include "heliosdb/error.h"

namespace heliosdb::nano {

LogLevel parse_log_level(const std::string& text) {
  if (text == "debug") return LogLevel::debug;
  if (text == "info") return LogLevel::info;
  if (text == "warning") return LogLevel::warning;
  if (text == "error") return LogLevel::error;
  throw ConfigError(fmt::format("invalid log level \"{}\" (debug, info, warning or error)", text));
}

namespace {

// One key of the file: what it must hold and where it goes.
struct Key {
  enum Kind { kString, kInteger, kBool } kind;
  std::function<void(Config&, const toml::node&)> apply;
};

std::string text(const toml::node& n) { return *n.value<std::string>(); }
int64_t integer(const toml::node& n) { return *n.value<int64_t>(); }
bool boolean(const toml::node& n) { return *n.value<bool>(); }

// A key's value outside what it may be.
struct BadValue {
  std::string why;
};

int64_t in_range(const toml::node& n, int64_t lo, int64_t hi) {
  int64_t v = integer(n);
  if (v < lo || v > hi) throw BadValue{fmt::format("must be between {} and {}", lo, hi)};
  return v;
}

std::string one_of(const toml::node& n, std::initializer_list<const char*> choices) {
  std::string v = text(n), list;
  for (const char* c : choices) {
    if (v == c) return v;
    list += list.empty() ? c : fmt::format(", {}", c);
  }
  throw BadValue{fmt::format("must be one of {}", list)};
}

const std::map<std::string, Key>& keys() {
  using S = Key;
  static const std::map<std::string, Key> k = {
      {"server.host", {S::kString, [](Config& c, const toml::node& n) { c.server.host = text(n); }}},
      {"server.port",
       {S::kInteger, [](Config& c, const toml::node& n) { c.server.port = static_cast<uint16_t>(in_range(n, 0, 65535)); }}},
      {"server.protocol", {S::kString, [](Config&, const toml::node& n) { one_of(n, {"postgres"}); }}},
      {"server.authentication.method",
       {S::kString,
        [](Config& c, const toml::node& n) {
          pgwire::set_server_option(c.server, "auth", one_of(n, {"trust", "password", "md5", "scram-sha-256"}));
          c.auth_set = true;
        }}},
      {"server.authentication.users_file", {S::kString, [](Config& c, const toml::node& n) { c.users_file = text(n); }}},
      {"server.ssl.enabled", {S::kBool, [](Config& c, const toml::node& n) { c.ssl_enabled = boolean(n); }}},
      {"server.ssl.cert_file", {S::kString, [](Config& c, const toml::node& n) { c.server.tls_cert_file = text(n); }}},
      {"server.ssl.key_file", {S::kString, [](Config& c, const toml::node& n) { c.server.tls_key_file = text(n); }}},
      {"server.ssl.mode",
       {S::kString,
        [](Config& c, const toml::node& n) {
          pgwire::set_server_option(c.server, "tls_mode", one_of(n, {"require", "prefer", "allow", "disable"}));
        }}},
      {"server.limits.max_connections",
       {S::kInteger, [](Config& c, const toml::node& n) { c.server.max_connections = static_cast<size_t>(in_range(n, 1, 100000)); }}},
      {"server.limits.prepared_statement_cache_size",
       {S::kInteger,
        [](Config& c, const toml::node& n) { c.server.statement_cache_size = static_cast<size_t>(in_range(n, 0, 1000000)); }}},
      {"server.limits.query_timeout_seconds",
       {S::kInteger,
        [](Config& c, const toml::node& n) { c.server.query_timeout = std::chrono::seconds(in_range(n, 0, 86400 * 365)); }}},
      {"database.data_dir", {S::kString, [](Config& c, const toml::node& n) { c.data_dir = text(n); }}},
      {"database.create_on_connect", {S::kBool, [](Config& c, const toml::node& n) { c.create_databases = boolean(n); }}},
      {"database.superuser", {S::kString, [](Config& c, const toml::node& n) { c.database.superuser = text(n); }}},
      {"database.enable_wal", {S::kBool, [](Config& c, const toml::node& n) { c.database.sync_commit = boolean(n); }}},
      {"database.memory_limit_mb",
       {S::kInteger,
        [](Config& c, const toml::node& n) {
          // Per database: three eighths block cache, three eighths row cache, a quarter write
          // buffer (memtable), as LevelDB may hold two memtables at once.
          size_t bytes = static_cast<size_t>(in_range(n, 4, 1 << 20)) << 20;
          c.database.cache_size = bytes / 8 * 3;
          c.database.row_cache_size = bytes / 8 * 3;
          c.database.write_buffer_size = bytes / 8;
        }}},
      {"performance.connection_pool_size",
       {S::kInteger, [](Config& c, const toml::node& n) { c.server.threads = static_cast<int>(in_range(n, 1, 1024)); }}},
  };
  return k;
}

const std::set<std::string>& tables() {
  static const std::set<std::string> t = {"server", "server.authentication", "server.ssl", "server.limits", "database",
                                          "performance"};
  return t;
}

const char* kind_name(Key::Kind k) {
  switch (k) {
    case Key::kString: return "a string";
    case Key::kInteger: return "an integer";
    case Key::kBool: return "true or false";
  }
  return "";
}

bool has_kind(const toml::node& n, Key::Kind k) {
  switch (k) {
    case Key::kString: return n.is_string();
    case Key::kInteger: return n.is_integer();
    case Key::kBool: return n.is_boolean();
  }
  return false;
}

void walk(const std::string& file, const toml::table& table, const std::string& prefix, Config& config) {
  for (auto&& [k, node] : table) {
    std::string path = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    auto line = k.source().begin.line;
    if (node.is_table()) {
      if (!tables().count(path)) throw ConfigError(fmt::format("{}:{}: unknown section [{}]", file, line, path));
      walk(file, *node.as_table(), path, config);
      continue;
    }
    auto key = keys().find(path);
    if (key == keys().end()) throw ConfigError(fmt::format("{}:{}: unknown key \"{}\"", file, line, path));
    if (!has_kind(node, key->second.kind))
      throw ConfigError(fmt::format("{}:{}: \"{}\" must be {}", file, line, path, kind_name(key->second.kind)));
    try {
      key->second.apply(config, node);
    } catch (const BadValue& e) {
      throw ConfigError(fmt::format("{}:{}: \"{}\" {}", file, line, path, e.why));
    } catch (const Error& e) {
      throw ConfigError(fmt::format("{}:{}: \"{}\": {}", file, line, path, e.message()));
    }
  }
}

}  // namespace

void load_config(const std::string& path, Config& config) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw ConfigError(fmt::format("{}:{}: {}", path, e.source().begin.line, e.description()));
  }
  walk(path, root, "", config);
}

}  // namespace heliosdb::nano
