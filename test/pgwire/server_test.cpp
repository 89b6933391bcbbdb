// The listener's life cycle through the public API: ports, double starts, busy ports, stop()
// with connections open and with a statement running.
#define CATCH_CONFIG_MAIN
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "heliosdb/heliosdb.h"
#include "heliosdb/pgwire/server.h"

using namespace heliosdb;
using namespace std::chrono_literals;

namespace {

int connect_to(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

std::string startup(const char* user) {
  std::string body;
  auto int32 = [&](uint32_t v) {
    for (int i = 3; i >= 0; --i) body.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  int32(196608);
  for (const char* s : {"user", user, "database", "postgres", ""}) body.append(s, std::strlen(s) + 1);
  std::string out(4, '\0');
  uint32_t len = static_cast<uint32_t>(body.size() + 4);
  for (int i = 0; i < 4; ++i) out[static_cast<size_t>(i)] = static_cast<char>((len >> (24 - 8 * i)) & 0xff);
  return out + body;
}

std::string query(const std::string& sql) {
  std::string out = "Q";
  uint32_t len = static_cast<uint32_t>(sql.size() + 5);
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((len >> (8 * i)) & 0xff));
  return out + sql + '\0';
}

std::string message(char type, const std::string& body) {
  std::string out(1, type);
  uint32_t len = static_cast<uint32_t>(body.size() + 4);
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((len >> (8 * i)) & 0xff));
  return out + body;
}

std::string parse(const std::string& name, const std::string& sql) {
  return message('P', name + '\0' + sql + '\0' + std::string(2, '\0'));
}

std::string bind(const std::string& stmt) {
  return message('B', std::string(1, '\0') + stmt + '\0' + std::string(6, '\0'));
}

// Reads until the server closes the connection; returns everything it sent.
std::string read_all(int fd) {
  std::string got;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) got.append(buf, static_cast<size_t>(n));
  return got;
}

}  // namespace

TEST_CASE("port 0 picks a free port; a second start is an error; stop is idempotent") {
  auto db = Database::open_in_memory();
  pgwire::Server server(db, {.port = 0});
  CHECK(server.port() == 0);
  server.start();
  CHECK(server.port() != 0);
  CHECK_THROWS_AS(server.start(), Error);
  server.stop();
  server.stop();
}

TEST_CASE("a busy port is a clear error, not a hang") {
  auto db = Database::open_in_memory();
  pgwire::Server first(db, {.port = 0});
  first.start();
  pgwire::Server second(db, {.port = first.port()});
  try {
    second.start();
    FAIL("second start on a busy port succeeded");
  } catch (const Error& e) {
    CHECK(e.sqlstate() == "58000");
    CHECK(std::string(e.message()).find("could not bind") != std::string::npos);
  }
}

TEST_CASE("stop closes idle connections and lets a running statement finish within the drain time") {
  auto db = Database::open_in_memory();
  pgwire::Server server(db, {.port = 0});
  server.start();
  int idle = connect_to(server.port());
  std::string s = startup("postgres");
  ::send(idle, s.data(), s.size(), 0);
  int busy = connect_to(server.port());
  std::string q = startup("postgres") + query("SELECT pg_sleep(0.5), 'finished'");
  ::send(busy, q.data(), q.size(), 0);
  std::this_thread::sleep_for(200ms);
  auto t0 = std::chrono::steady_clock::now();
  server.stop(5s);
  auto took = std::chrono::steady_clock::now() - t0;
  CHECK(took < 5s);  // not the whole drain time: it ends when the statement does
  std::string out = read_all(busy);
  CHECK(out.find("finished") != std::string::npos);  // the running statement completed
  read_all(idle);                                      // and the idle one was closed
  ::close(idle);
  ::close(busy);
}

TEST_CASE("the host keeps using the database while clients are connected") {
  auto db = Database::open_in_memory();
  db.execute("CREATE TABLE t (id int PRIMARY KEY)");
  pgwire::Server server(db, {.port = 0});
  server.start();
  int fd = connect_to(server.port());
  std::string m = startup("postgres") + query("INSERT INTO t VALUES (1)");
  ::send(fd, m.data(), m.size(), 0);
  for (int i = 0; i < 100 && db.execute("SELECT count(*) FROM t").rows()[0][0].as_int() == 0; ++i)
    std::this_thread::sleep_for(20ms);
  CHECK(db.execute("SELECT count(*) FROM t").rows()[0][0].as_int() == 1);
  db.execute("INSERT INTO t VALUES (2)");
  std::string q = query("SELECT count(*) FROM t");
  ::send(fd, q.data(), q.size(), 0);
  ::shutdown(fd, SHUT_WR);
  std::string out = read_all(fd);
  CHECK(out.find(std::string("\x00\x00\x00\x01" "2", 5)) != std::string::npos);  // DataRow "2"
  ::close(fd);
}

TEST_CASE("named statements beyond statement_cache_size are evicted, least recently used first") {
  auto db = Database::open_in_memory();
  pgwire::Server server(db, {.port = 0, .statement_cache_size = 2});
  server.start();
  int fd = connect_to(server.port());
  // s1 is used after s2 was prepared, so s3 pushes s2 out.
  std::string m = startup("postgres") + parse("s1", "SELECT 1") + parse("s2", "SELECT 2") + message('S', "") +
                  bind("s1") + message('S', "") + parse("s3", "SELECT 3") + message('S', "") + bind("s2") +
                  message('S', "") + bind("s1") + message('S', "") + bind("s3") + message('S', "") + message('X', "");
  ::send(fd, m.data(), m.size(), 0);
  std::string out = read_all(fd);
  CHECK(out.find("prepared statement \"s2\" does not exist") != std::string::npos);  // evicted
  CHECK(out.find("prepared statement \"s1\" does not exist") == std::string::npos);  // kept
  CHECK(out.find("prepared statement \"s3\" does not exist") == std::string::npos);
  ::close(fd);
}
