// The process the crash test kills (test/crash/crash_test.py).
//
//   crash_writer DIR write SEED   8 sessions transfer money between 100 accounts, each transfer
//                                 logged with a sequence number; after each COMMIT returns it prints
//                                 "C <id>", after each ROLLBACK "R <id>" (stdout, unbuffered),
//                                 until it is killed.
//   crash_writer DIR check FILE   reopens the database and checks it against the ids FILE holds
//                                 (the lines the writers printed before they were killed).
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "heliosdb/heliosdb.h"

namespace {

constexpr int kAccounts = 100;
constexpr int64_t kInitial = 1000;

void say(const std::string& line) {
  std::string l = line + "\n";
  if (::write(1, l.data(), l.size()) < 0) std::_Exit(3);  // one write(2): whole lines, no buffering
}

void setup(heliosdb::Database& db) {
  try {
    db.execute("CREATE TABLE accounts (id int PRIMARY KEY, balance int8 NOT NULL)");
  } catch (const heliosdb::Error& e) {
    if (e.sqlstate() != "42P07") throw;
    return;  // made by an earlier run
  }
  db.execute("CREATE SEQUENCE transfer_ids");
  db.execute("CREATE TABLE transfers (id int8 PRIMARY KEY, src int NOT NULL, dst int NOT NULL, amount int NOT NULL, "
             "note text)");
  db.execute("CREATE INDEX transfers_src ON transfers (src)");
  db.execute("INSERT INTO accounts SELECT g, $1 FROM generate_series(1, $2) g", {kInitial, kAccounts});
}

[[noreturn]] void write_forever(heliosdb::Database& db, unsigned seed) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&db, seed, t] {
      std::mt19937 rng(seed * 31 + static_cast<unsigned>(t));
      auto s = db.session();
      for (;;) {
        int a = static_cast<int>(rng() % kAccounts) + 1, b = static_cast<int>(rng() % kAccounts) + 1;
        if (a == b) continue;
        int amount = static_cast<int>(rng() % 50) + 1;
        bool rollback = rng() % 10 == 0;
        int64_t id = 0;
        try {
          s.execute("BEGIN");
          // In id order, so two transfers never wait for each other in a cycle.
          s.execute("UPDATE accounts SET balance = balance + $1 WHERE id = $2", {a < b ? -amount : amount, std::min(a, b)});
          s.execute("UPDATE accounts SET balance = balance + $1 WHERE id = $2", {a < b ? amount : -amount, std::max(a, b)});
          auto r = s.execute("INSERT INTO transfers VALUES (nextval('transfer_ids'), $1, $2, $3, repeat('x', $4)) RETURNING id",
                             {a, b, amount, static_cast<int>(rng() % 200)});
          id = r.rows()[0][0].as_int();
          if (rollback) {
            s.execute("ROLLBACK");
            say("R " + std::to_string(id));
          } else {
            s.execute("COMMIT");
            say("C " + std::to_string(id));
          }
        } catch (const heliosdb::Error& e) {
          std::cerr << "writer: " << e.sqlstate() << " " << e.message() << "\n";
          try {
            s.execute("ROLLBACK");
          } catch (...) {
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  std::_Exit(0);
}

int check(heliosdb::Database& db, const std::string& ids_file) {
  int failures = 0;
  auto fail = [&](const std::string& what) {
    std::cerr << "check: " << what << "\n";
    ++failures;
  };
  std::set<int64_t> committed, rolled_back;
  std::ifstream in(ids_file);
  std::string kind;
  int64_t id;
  while (in >> kind >> id) (kind == "C" ? committed : rolled_back).insert(id);

  // Every transfer is whole or absent: the money is all there.
  auto total = db.execute("SELECT sum(balance), count(*) FROM accounts");
  if (total.rows()[0][0].to_text() != std::to_string(kInitial * kAccounts) || total.rows()[0][1].as_int() != kAccounts)
    fail("accounts total " + total.rows()[0][0].to_text() + " over " + total.rows()[0][1].to_text() + " accounts");
  // Balances agree with the logged transfers.
  auto net = db.execute(
      "SELECT a.id, a.balance, (SELECT coalesce(sum(amount), 0) FROM transfers WHERE dst = a.id) - "
      "(SELECT coalesce(sum(amount), 0) FROM transfers WHERE src = a.id) FROM accounts a");
  for (const auto& row : net.rows())
    if (row[1].as_int() != kInitial + row[2].as_int())
      fail("account " + row[0].to_text() + " balance " + row[1].to_text() + " but transfers net " + row[2].to_text());
  // Every acknowledged commit is there; no rolled-back transfer is.
  std::set<int64_t> present;
  auto ids = db.execute("SELECT id FROM transfers");
  for (const auto& row : ids.rows()) present.insert(row[0].as_int());
  for (int64_t c : committed)
    if (!present.count(c)) fail("committed transfer " + std::to_string(c) + " is missing");
  for (int64_t r : rolled_back)
    if (present.count(r)) fail("rolled-back transfer " + std::to_string(r) + " is present");
  // The index agrees with the table.
  int64_t by_index = 0;
  for (int a = 1; a <= kAccounts; ++a)
    by_index += db.execute("SELECT count(*) FROM transfers WHERE src = $1", {a}).rows()[0][0].as_int();
  if (by_index != static_cast<int64_t>(present.size()))
    fail("index finds " + std::to_string(by_index) + " transfers, the table has " + std::to_string(present.size()));
  // The sequence never goes backwards.
  int64_t next = db.execute("SELECT nextval('transfer_ids')").rows()[0][0].as_int();
  int64_t max_seen = 0;
  for (int64_t v : present) max_seen = std::max(max_seen, v);
  for (int64_t v : committed) max_seen = std::max(max_seen, v);
  for (int64_t v : rolled_back) max_seen = std::max(max_seen, v);
  if (next <= max_seen) fail("nextval gave " + std::to_string(next) + " after " + std::to_string(max_seen) + " was handed out");
  std::cout << "check: " << present.size() << " transfers (" << committed.size() << " acknowledged commits, "
            << rolled_back.size() << " rollbacks), " << (failures ? "FAILED" : "ok") << "\n";
  return failures ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: crash_writer DIR write SEED | crash_writer DIR check FILE\n";
    return 2;
  }
  try {
    auto db = heliosdb::Database::open(argv[1]);
    std::string mode = argv[2];
    if (mode == "write") {
      setup(db);
      say("ready");
      write_forever(db, static_cast<unsigned>(std::stoul(argv[3])));
    }
    return check(db, argv[3]);
  } catch (const heliosdb::Error& e) {
    std::cerr << "crash_writer: " << e.sqlstate() << " " << e.message() << "\n";
    return 1;
  }
}
