// A Cluster: databases as sub-directories, managed over SQL and over the API.
#include <catch2/catch.hpp>

#include <filesystem>

#include "heliosdb/heliosdb.h"

using namespace heliosdb;

namespace {
std::string sqlstate_of(Session& s, const char* sql) {
  try {
    s.execute(sql);
    return "ok";
  } catch (const Error& e) {
    return e.sqlstate();
  }
}
}  // namespace

TEST_CASE("a cluster's databases are directories, created and dropped over SQL") {
  auto dir = std::filesystem::temp_directory_path() / ("heliosdb-cluster-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    auto cluster = Cluster::open(dir.string());
    REQUIRE(cluster.database_names() == std::vector<std::string>{"postgres"});
    auto pg = cluster.database("postgres");
    REQUIRE(pg);
    auto s = pg->session();
    s.execute("CREATE DATABASE shop");
    REQUIRE(std::filesystem::is_directory(dir / "shop"));
    REQUIRE(sqlstate_of(s, "CREATE DATABASE shop") == "42P04");
    auto shop = cluster.database("shop");
    REQUIRE(shop);
    shop->execute("CREATE TABLE items (id int PRIMARY KEY)");
    shop->execute("INSERT INTO items VALUES (1), (2)");
    REQUIRE(sqlstate_of(s, "SELECT * FROM items") == "42P01");  // another database
    REQUIRE(s.execute("SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database").rows()[0][0].to_text() ==
            "postgres,shop");
    {
      auto other = shop->session();  // a session in use
      REQUIRE(sqlstate_of(s, "DROP DATABASE shop") == "55006");
    }
    REQUIRE(sqlstate_of(s, "DROP DATABASE shop") == "55006");  // the Database handle `shop` is still held
    shop.reset();
    s.execute("DROP DATABASE shop");
    REQUIRE(!std::filesystem::exists(dir / "shop"));
    REQUIRE(!cluster.database("shop"));
    REQUIRE(sqlstate_of(s, "DROP DATABASE shop") == "3D000");
    cluster.set_create_on_connect(true);
    REQUIRE(cluster.database("made"));
    cluster.drop_database("made");
    REQUIRE(cluster.database_names() == std::vector<std::string>{"postgres"});
  }
  {
    // Opened again: the databases made are there.
    auto cluster = Cluster::open(dir.string());
    cluster.create_database("again");
  }
  REQUIRE(Cluster::open(dir.string()).database_names() == std::vector<std::string>{"again", "postgres"});
  std::filesystem::remove_all(dir);
}

TEST_CASE("a database opened on its own refuses CREATE DATABASE with 0A000") {
  auto db = Database::open_in_memory();
  auto s = db.session();
  REQUIRE(sqlstate_of(s, "CREATE DATABASE x") == "0A000");
  REQUIRE(db.execute("SELECT count(*) FROM pg_database").rows()[0][0].as_int() == 1);
}

TEST_CASE("an in-memory cluster") {
  auto cluster = Cluster::open_in_memory();
  auto pg = cluster.database("postgres");
  REQUIRE(pg);
  pg->execute("CREATE DATABASE scratch");
  auto scratch = cluster.database("scratch");
  REQUIRE(scratch);
  scratch->execute("CREATE TABLE t (i int)");
  REQUIRE(cluster.database_names() == std::vector<std::string>{"postgres", "scratch"});
  scratch.reset();
  cluster.drop_database("scratch");
  REQUIRE(!cluster.database("scratch"));
}

TEST_CASE("roles belong to the cluster: every database sees them, they persist, role DDL is transactional") {
  auto dir = std::filesystem::temp_directory_path() / ("heliosdb-cluster-roles-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    Options o;
    o.superuser = "admin";
    auto cluster = Cluster::open(dir.string(), o);
    auto pg = cluster.database("postgres");
    auto s = pg->session();
    REQUIRE(s.execute("SELECT current_user").rows()[0][0].to_text() == "admin");  // initdb -U admin
    s.execute("CREATE DATABASE shop");
    s.execute("CREATE ROLE clerk LOGIN PASSWORD 'pw'");
    s.execute("BEGIN");
    s.execute("CREATE ROLE temp_role");
    REQUIRE(s.execute("SELECT count(*) FROM pg_roles WHERE rolname = 'temp_role'").rows()[0][0].to_text() == "1");
    s.execute("ROLLBACK");
    REQUIRE(!cluster.login_role("temp_role"));
    auto shop = cluster.database("shop")->session();
    REQUIRE(shop.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'clerk'").rows()[0][0].to_text() == "t");
    shop.execute("CREATE TABLE items (id int)");
    shop.execute("GRANT SELECT ON items TO clerk");
    shop.execute("SET ROLE clerk");
    REQUIRE(shop.execute("SELECT count(*) FROM items").rows()[0][0].to_text() == "0");
    REQUIRE(sqlstate_of(shop, "INSERT INTO items VALUES (1)") == "42501");
    REQUIRE(sqlstate_of(shop, "DROP TABLE items") == "42501");
    shop.execute("RESET ROLE");
  }
  {
    auto cluster = Cluster::open(dir.string());  // superuser only names a new cluster's
    auto login = cluster.login_role("clerk");
    REQUIRE(login);
    REQUIRE(login->can_login);
    REQUIRE(login->password.rfind("SCRAM-SHA-256$", 0) == 0);
    REQUIRE(cluster.has_passwords());
    auto s = cluster.database("postgres")->session();
    REQUIRE(s.execute("SELECT current_user").rows()[0][0].to_text() == "admin");
    try {  // its grant in shop holds it back
      s.execute("DROP ROLE clerk");
      FAIL("dropped");
    } catch (const Error& e) {
      REQUIRE(e.sqlstate() == "2BP01");
      REQUIRE(e.detail() == "1 object in database shop");
    }
    cluster.database("shop")->execute("REVOKE ALL ON items FROM clerk");
    s.execute("DROP ROLE clerk");
    REQUIRE(!cluster.login_role("clerk"));
  }
  std::filesystem::remove_all(dir);
}
