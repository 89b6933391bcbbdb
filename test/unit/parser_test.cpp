// The SQL front end: libpg_query's JSON with the integer workaround, and syntax errors.
#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "heliosdb/error.h"
#include "sql/parser.h"

using namespace heliosdb;

static int64_t first_target_ival(const std::string& sql) {
  auto r = sql::parse(sql);
  const auto& sel = r->statements[0].node->at("SelectStmt").as_object();
  const auto& target = sql::node_body(sql::list_field(sel, "targetList")[0]);
  return sql::const_ival(sql::node_body(*sql::field(target, "val")));
}

// libpg_query 15-4.0 writes 0 and negative integers as "ival":{}; parse() restores them.
TEST_CASE("zero and negative integer constants survive the libpg_query defect") {
  REQUIRE(first_target_ival("SELECT 0") == 0);
  REQUIRE(first_target_ival("SELECT -1") == -1);
  REQUIRE(first_target_ival("SELECT - 42") == -42);
  REQUIRE(first_target_ival("SELECT -(7)") == -7);
  REQUIRE(first_target_ival("SELECT 5") == 5);
  REQUIRE(first_target_ival("SELECT -2147483647") == -2147483647LL);
}

TEST_CASE("DefElem integers (sequence options) are restored too") {
  auto r = sql::parse("CREATE SEQUENCE s INCREMENT BY -3 MINVALUE 0 START -1");
  const auto& n = r->statements[0].node->at("CreateSeqStmt").as_object();
  std::vector<int64_t> got;
  for (const auto& o : sql::list_field(n, "options"))
    got.push_back(sql::int_field(sql::node_body(sql::node_body(o).at("arg")), "ival"));
  REQUIRE(got == std::vector<int64_t>{-3, 0, -1});
}

TEST_CASE("statements are split with their own text") {
  auto r = sql::parse("SELECT 1; SELECT 'a;b' ;");
  REQUIRE(r->statements.size() == 2);
  REQUIRE(r->statements[0].text == "SELECT 1");
  REQUIRE(r->statements[1].text == " SELECT 'a;b' ");
}

TEST_CASE("syntax errors carry 42601 and the 1-based position") {
  try {
    sql::parse("SELECT * FORM t");
    FAIL("expected a syntax error");
  } catch (const Error& e) {
    REQUIRE(e.sqlstate() == "42601");
    REQUIRE(e.message() == "syntax error at or near \"FORM\"");
    REQUIRE(e.position() == 10);
  }
  REQUIRE_THROWS_AS(sql::parse("SELECT 'unterminated"), Error);
}
