// heliosdb/database.h — an open database.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "heliosdb/options.h"
#include "heliosdb/result.h"
#include "heliosdb/session.h"

namespace heliosdb {

namespace engine { class DatabaseImpl; }

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

  explicit Database(std::shared_ptr<engine::DatabaseImpl> impl) : impl_(std::move(impl)) {}
  engine::DatabaseImpl& impl() const { return *impl_; }
  const std::shared_ptr<engine::DatabaseImpl>& shared_impl() const { return impl_; }

 private:
  std::shared_ptr<engine::DatabaseImpl> impl_;
};

}  // namespace heliosdb
