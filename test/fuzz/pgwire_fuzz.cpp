// libFuzzer target for the wire-protocol decoder: each input goes over a real loopback socket
// to an in-process pgwire::Server, either after a valid startup packet (first byte even) or as
// the very first bytes (odd: the startup packet parser). The server must answer or close the
// connection, never crash or hang.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "heliosdb/heliosdb.h"
#include "heliosdb/pgwire/server.h"

namespace {

uint16_t server_port() {
  static heliosdb::pgwire::Server* server = [] {
    auto db = heliosdb::Database::open_in_memory();
    db.execute("CREATE TABLE t (id int PRIMARY KEY, v text, n numeric)");
    db.execute("INSERT INTO t VALUES (1, 'a', 1.5), (2, NULL, NULL)");
    heliosdb::pgwire::ServerOptions o;
    o.port = 0;
    o.max_connections = 1000;
    o.query_timeout = std::chrono::milliseconds(500);  // pg_sleep in an input ends soon
    auto* s = new heliosdb::pgwire::Server(db, o);
    s->start();
    return s;
  }();
  return server->port();
}

std::string startup_packet() {
  std::string body;
  auto int32 = [&](uint32_t v) {
    for (int i = 3; i >= 0; --i) body.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  int32(196608);
  for (const char* s : {"user", "fuzz", "database", "postgres", ""}) body.append(s, std::strlen(s) + 1);
  std::string out;
  uint32_t len = static_cast<uint32_t>(body.size() + 4);
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((len >> (8 * i)) & 0xff));
  return out + body;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  uint16_t port = server_port();
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return 0;
  }
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out = (data[0] & 1) ? std::string() : startup_packet();
  out.append(reinterpret_cast<const char*>(data) + 1, size - 1);
  ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
  ::shutdown(fd, SHUT_WR);  // no more input: the server must finish and close
  char buf[65536];
  while (::recv(fd, buf, sizeof buf, 0) > 0) {
  }
  ::close(fd);
  return 0;
}
