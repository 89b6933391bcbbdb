// heliosdb/database.h — an open database.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "heliosdb/options.h"
#include "heliosdb/result.h"
#include "heliosdb/session.h"

namespace heliosdb {

namespace engine { class DatabaseImpl; }

// A role as logging in needs it (CREATE ROLE ... LOGIN PASSWORD ...): whether it may log in,
// and its stored password verifier ("SCRAM-SHA-256$..." or "md5..."; empty when it has none).
struct LoginRole {
  bool can_login = false;
  bool superuser = false;
  std::string password;
  // VALID UNTIL: the password is no good after this (µs since 2000-01-01 UTC, PostgreSQL's
  // timestamptz); none when unset.
  std::optional<int64_t> valid_until;
};

// An open database: one directory of LevelDB files. Safe for concurrent use from many
// threads; copies of a Database share the same open database, which closes when the last
// copy (and the last Session made from it) is gone.
class Database {
 public:
  // Opens the database in directory `path`, creating it when missing (Options::create_if_missing).
  // Throws heliosdb::Error when the directory is locked by another process (55006) or unreadable.
  static Database open(const std::string& path, const Options& options = {});
  // A private database that lives in memory and vanishes when closed.
  static Database open_in_memory(const Options& options = {});

  // Runs sql on the database's own autocommit session (serialised between threads).
  Result execute(std::string_view sql, const Params& params = {});

  // A new session (connection) with its own transaction state and settings.
  Session session();
  // The role called name (the database's own roles, or its cluster's), std::nullopt when none.
  std::optional<LoginRole> login_role(const std::string& name) const;

  explicit Database(std::shared_ptr<engine::DatabaseImpl> impl) : impl_(std::move(impl)) {}
  engine::DatabaseImpl& impl() const { return *impl_; }
  const std::shared_ptr<engine::DatabaseImpl>& shared_impl() const { return impl_; }

 private:
  std::shared_ptr<engine::DatabaseImpl> impl_;
};

}  // namespace heliosdb
