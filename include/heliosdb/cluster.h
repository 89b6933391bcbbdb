// heliosdb/cluster.h — many databases in one data directory, as a PostgreSQL cluster.
//
//   auto cluster = heliosdb::Cluster::open("data");     // data/postgres is made when missing
//   auto db = cluster.database("postgres");              // std::optional<Database>
//   db->execute("CREATE DATABASE tenant_42");            // data/tenant_42
//
// Each database is a sub-directory. Databases opened through a Cluster know it: their sessions
// run CREATE DATABASE and DROP DATABASE, and pg_database lists every database of the cluster.
// (A Database opened on its own answers those statements with 0A000.)
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "heliosdb/database.h"
#include "heliosdb/options.h"

namespace heliosdb {

namespace engine { struct ClusterImpl; }

class Cluster {
 public:
  // Opens the cluster in directory `dir` (created when missing), with `options` for each of
  // its databases; a "postgres" database is made when missing.
  static Cluster open(const std::string& dir, const Options& options = {});
  // A cluster whose databases live in memory and vanish with it.
  static Cluster open_in_memory(const Options& options = {});

  // The database called `name`, opened on first use; std::nullopt when there is none (unless
  // create_on_connect, when it is made).
  std::optional<Database> database(const std::string& name);
  // Names of the databases, sorted.
  std::vector<std::string> database_names();
  // The role called name, for authentication (see Database::login_role); roles are the
  // cluster's, shared by its databases, and kept in DIR/roles.json.
  std::optional<LoginRole> login_role(const std::string& name) const;
  // Whether any role has a password (a fresh cluster has none).
  bool has_passwords() const;
  // Whether database() makes a database that is missing (off by default).
  void set_create_on_connect(bool on);

  // CREATE DATABASE / DROP DATABASE from outside SQL. Throw heliosdb::Error as the statements
  // do: 42P04 when it exists, 3D000 when it does not, 55006 while sessions use it.
  void create_database(const std::string& name);
  void drop_database(const std::string& name);

  explicit Cluster(std::shared_ptr<engine::ClusterImpl> impl) : impl_(std::move(impl)) {}

 private:
  std::shared_ptr<engine::ClusterImpl> impl_;
};

}  // namespace heliosdb
