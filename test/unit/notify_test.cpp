// LISTEN / NOTIFY through the embedded API: Session::take_notifications.
#include <catch2/catch.hpp>

#include "heliosdb/heliosdb.h"

using namespace heliosdb;

TEST_CASE("sessions of one database hear the NOTIFYs of committed transactions") {
  auto db = Database::open_in_memory();
  auto a = db.session();
  auto b = db.session();
  a.execute("LISTEN jobs");
  b.execute("NOTIFY jobs, 'one'");
  b.execute("BEGIN");
  b.execute("SELECT pg_notify('jobs', 'two')");
  b.execute("NOTIFY jobs, 'two'");  // the same one again in a transaction: sent once
  CHECK(a.take_notifications().size() == 1);  // 'two' waits for the commit
  b.execute("COMMIT");
  b.execute("BEGIN");
  b.execute("NOTIFY jobs, 'rolled back'");
  b.execute("ROLLBACK");
  auto got = a.take_notifications();
  REQUIRE(got.size() == 1);
  CHECK(got[0].channel == "jobs");
  CHECK(got[0].payload == "two");
  CHECK(std::to_string(got[0].pid) == b.execute("SELECT pg_backend_pid()").rows()[0][0].to_text());
  // Inside a transaction block nothing is handed out; after it, what arrived meanwhile is.
  a.execute("BEGIN");
  b.execute("NOTIFY jobs, 'later'");
  CHECK(a.take_notifications().empty());
  a.execute("COMMIT");
  CHECK(a.take_notifications().size() == 1);
  // LISTEN in a rolled-back transaction never starts; UNLISTEN stops.
  a.execute("BEGIN");
  a.execute("LISTEN other");
  a.execute("ROLLBACK");
  b.execute("NOTIFY other");
  CHECK(a.take_notifications().empty());
  a.execute("UNLISTEN jobs");
  b.execute("NOTIFY jobs");
  CHECK(a.take_notifications().empty());
  // A session hears itself.
  a.execute("LISTEN me");
  a.execute("NOTIFY me, 'self'");
  got = a.take_notifications();
  REQUIRE(got.size() == 1);
  CHECK(got[0].payload == "self");
}
