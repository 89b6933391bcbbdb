// What a Cluster is inside: its databases by name, for the Cluster API and for the SQL
// statements that manage databases (CREATE DATABASE, DROP DATABASE, pg_database).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "catalog/roles.h"
#include "engine/activity.h"
#include "heliosdb/options.h"

namespace heliosdb::engine {

class DatabaseImpl;

struct ClusterImpl : std::enable_shared_from_this<ClusterImpl> {
  std::string dir;
  bool in_memory = false;
  Options options;
  bool create_on_connect = false;
  std::shared_ptr<catalog::RoleStore> roles;  // shared by every database (roles.json in dir)
  std::shared_ptr<ActivityRegistry> activity = std::make_shared<ActivityRegistry>();  // every database's sessions

  // The database called name, opened when first asked for; nullptr when there is none (and
  // create_missing is false).
  std::shared_ptr<DatabaseImpl> database(const std::string& name, bool create_missing);
  std::vector<std::string> names();
  // 42P04 when it exists; 0A000 for names that cannot be a directory.
  void create(const std::string& name);
  // 3D000 when missing (a NOTICE and nothing with missing_ok); 55006 while a session other
  // than `asking` (may be null) uses it, or when it is the asking session's own database.
  // Returns false when it was missing.
  bool drop(const std::string& name, const DatabaseImpl* asking, bool missing_ok);
  // In memory: `name` exists (before it is first opened).
  void add_in_memory(const std::string& name) {
    std::lock_guard lock(mu_);
    memory_names_.insert(name);
  }

 private:
  std::shared_ptr<DatabaseImpl> open_locked(const std::string& name);
  bool exists_locked(const std::string& name) const;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<DatabaseImpl>> open_;
  std::set<std::string> memory_names_;  // in memory: the databases that exist
};

}  // namespace heliosdb::engine
