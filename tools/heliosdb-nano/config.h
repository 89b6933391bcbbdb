// heliosdb-nano's configuration: heliosdb.toml, then command-line flags over it.
#pragma once

#include <stdexcept>
#include <string>

#include "heliosdb/options.h"
#include "heliosdb/pgwire/server.h"

namespace heliosdb::nano {

using pgwire::LogLevel;

struct Config {
  std::string data_dir = "./heliosdb-data";  // one sub-directory per database
  bool memory = false;                       // databases in memory, gone at exit
  bool create_databases = false;             // a connection to a missing database creates it
  LogLevel log_level = LogLevel::info;
  std::string users_file;                    // users managed outside SQL ("" = none)
  bool auth_set = false;                     // the method was configured (else: trust until users exist)
  bool ssl_enabled = true;                   // [server.ssl] enabled
  pgwire::ServerOptions server;
  Options database;                          // how each database is opened
};

// A configuration mistake: the file, line and key it concerns are in the message.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads a heliosdb.toml into config (keys it does not set keep their values). Throws
// ConfigError for a syntax error, an unknown key or a value of the wrong type or range.
void load_config(const std::string& path, Config& config);

// "debug", "info", "warning", "error"; throws ConfigError otherwise.
LogLevel parse_log_level(const std::string& text);

}  // namespace heliosdb::nano
