// 20 wire connections (libpq, through the in-process listener) and 20 in-process sessions move
// money between accounts at random at the same time, for DURATION seconds; a checker reads the
// total every few milliseconds. The total never changes, every acknowledged transfer is logged
// exactly once, balances agree with the log, no transfer fails but for deadlocks (40P01), which
// are retried.
//   transfer_test [DURATION_SECONDS]
#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "heliosdb/heliosdb.h"
#include "heliosdb/pgwire/server.h"

namespace {

constexpr int kAccounts = 50;
constexpr int64_t kInitial = 10000;

std::atomic<bool> stop{false};
std::atomic<int64_t> acknowledged{0}, deadlocks{0}, failures{0};
std::mutex err_mu;

void report(const std::string& what) {
  std::lock_guard lock(err_mu);
  std::cerr << what << "\n";
  ++failures;
}

struct Transfer {
  int from, to, amount;
};

Transfer pick(std::mt19937& rng) {
  int a = static_cast<int>(rng() % kAccounts) + 1, b;
  do b = static_cast<int>(rng() % kAccounts) + 1;
  while (b == a);
  return {a, b, static_cast<int>(rng() % 100) + 1};
}

// The statements of one transfer, in random order of the two accounts (so deadlocks happen).
std::vector<std::string> statements(const Transfer& t, const std::string& who) {
  std::string debit = "UPDATE accounts SET balance = balance - " + std::to_string(t.amount) + " WHERE id = " +
                      std::to_string(t.from);
  std::string credit = "UPDATE accounts SET balance = balance + " + std::to_string(t.amount) + " WHERE id = " +
                       std::to_string(t.to);
  std::string log = "INSERT INTO transfers (src, dst, amount, who) VALUES (" + std::to_string(t.from) + ", " +
                    std::to_string(t.to) + ", " + std::to_string(t.amount) + ", '" + who + "')";
  return {debit, credit, log};
}

void embedded_worker(heliosdb::Database db, unsigned seed) {
  std::mt19937 rng(seed);
  auto s = db.session();
  while (!stop) {
    Transfer t = pick(rng);
    auto stmts = statements(t, "embedded");
    if (rng() % 2) std::swap(stmts[0], stmts[1]);
    try {
      s.execute("BEGIN");
      for (const auto& q : stmts) s.execute(q);
      s.execute("COMMIT");
      ++acknowledged;
    } catch (const heliosdb::Error& e) {
      try {
        s.execute("ROLLBACK");
      } catch (...) {
      }
      if (e.sqlstate() == "40P01") ++deadlocks;
      else report("embedded: " + e.sqlstate() + " " + e.message());
    }
  }
}

void wire_worker(int port, unsigned seed) {
  std::mt19937 rng(seed);
  std::string conninfo = "host=127.0.0.1 port=" + std::to_string(port) + " user=postgres dbname=bank";
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    report(std::string("connect: ") + PQerrorMessage(c));
    PQfinish(c);
    return;
  }
  auto run = [&](const std::string& q) -> std::string {  // "" on success, else the SQLSTATE
    PGresult* r = PQexec(c, q.c_str());
    std::string state;
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
      const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      state = s ? s : "?????";
      if (state != "40P01") report("wire: " + state + " " + PQresultErrorMessage(r));
    }
    PQclear(r);
    return state;
  };
  while (!stop) {
    Transfer t = pick(rng);
    auto stmts = statements(t, "wire");
    if (rng() % 2) std::swap(stmts[0], stmts[1]);
    std::string state = run("BEGIN");
    for (const auto& q : stmts)
      if (state.empty()) state = run(q);
    if (state.empty()) state = run("COMMIT");
    if (state.empty()) {
      ++acknowledged;
    } else {
      if (state == "40P01") ++deadlocks;
      run("ROLLBACK");
    }
  }
  PQfinish(c);
}

}  // namespace

int main(int argc, char** argv) {
  int duration = argc > 1 ? std::stoi(argv[1]) : 30;
  try {
    auto db = heliosdb::Database::open_in_memory();
    db.execute("CREATE TABLE accounts (id int PRIMARY KEY, balance int8 NOT NULL)");
    db.execute("CREATE TABLE transfers (id serial PRIMARY KEY, src int, dst int, amount int, who text)");
    db.execute("INSERT INTO accounts SELECT g, $1 FROM generate_series(1, $2) g", {kInitial, kAccounts});
    heliosdb::pgwire::ServerOptions options;
    options.port = 0;
    heliosdb::pgwire::Server server(db, options);
    server.start();

    std::vector<std::thread> threads;
    for (int i = 0; i < 20; ++i) threads.emplace_back(embedded_worker, db, 1000u + static_cast<unsigned>(i));
    for (int i = 0; i < 20; ++i) threads.emplace_back(wire_worker, server.port(), 2000u + static_cast<unsigned>(i));
    int64_t checks = 0;
    auto checker = db.session();
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(duration);
    while (std::chrono::steady_clock::now() < end) {
      auto r = checker.execute("SELECT sum(balance) FROM accounts");
      if (r.rows()[0][0].to_text() != std::to_string(kInitial * kAccounts)) report("total is " + r.rows()[0][0].to_text());
      ++checks;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop = true;
    for (auto& t : threads) t.join();
    server.stop();

    auto logged = db.execute("SELECT count(*) FROM transfers").rows()[0][0].as_int();
    if (logged != acknowledged) report("logged " + std::to_string(logged) + " transfers, acknowledged " + std::to_string(acknowledged));
    auto net = db.execute(
        "SELECT count(*) FROM accounts a WHERE a.balance <> $1 + (SELECT coalesce(sum(amount), 0) FROM transfers WHERE dst = a.id) "
        "- (SELECT coalesce(sum(amount), 0) FROM transfers WHERE src = a.id)",
        {kInitial});
    if (net.rows()[0][0].as_int() != 0) report(net.rows()[0][0].to_text() + " accounts disagree with the transfers");
    auto who = db.execute("SELECT who, count(*) FROM transfers GROUP BY who ORDER BY who");
    std::cout << acknowledged << " transfers in " << duration << " s (";
    for (const auto& row : who.rows()) std::cout << row[1].to_text() << " " << row[0].to_text() << " ";
    std::cout << "), " << deadlocks << " deadlocks retried, total checked " << checks << " times: "
              << (failures ? "FAILED" : "ok") << "\n";
  } catch (const heliosdb::Error& e) {
    std::cerr << "transfer_test: " << e.sqlstate() << " " << e.message() << "\n";
    return 1;
  }
  return failures ? 1 : 0;
}
