// heliosdb/options.h — how a database is opened.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace heliosdb {

struct Options {
  // Create the data directory (and the database in it) when missing; otherwise opening a
  // missing one fails with 3D000.
  bool create_if_missing = true;
  // fsync every commit (PostgreSQL's synchronous_commit = on). Off trades the last few commits
  // on an OS crash for speed; a process crash never loses a committed transaction either way.
  bool sync_commit = true;
  // LevelDB block cache in bytes.
  size_t cache_size = 32u << 20;
  // Cache of table rows read by key (index lookups, joins), in bytes: a hit costs a fraction of
  // a LevelDB read. 0 turns it off.
  size_t row_cache_size = 32u << 20;
  // LevelDB write buffer (memtable) in bytes.
  size_t write_buffer_size = 8u << 20;
  // Settings every new session starts with (SET changes them per session).
  std::string timezone = "UTC";
  std::string datestyle = "ISO, MDY";
  // The superuser a new database (or cluster) starts with, as initdb -U names it: OID 10, the
  // role embedded sessions run as. Existing roles are kept as they are.
  std::string superuser = "postgres";
};

// Sets one option from its text form, as the C API and the Node addon give them:
// create_if_missing and sync_commit (on/off, true/false, 1/0), cache_size, row_cache_size and
// write_buffer_size (bytes), timezone, datestyle, superuser. Throws heliosdb::Error 22023 for an unknown
// option or a value it cannot take.
void set_option(Options& options, std::string_view name, std::string_view value);

}  // namespace heliosdb
