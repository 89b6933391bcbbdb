// PostgreSQL's rule system for INSERT, UPDATE and DELETE (rewriteHandler.c): a statement on a
// relation with rules (CREATE RULE) becomes the list of statements the rules make of it, run in
// order. The rewrite works on parse trees (libpg_query JSON):
//  - NEW and OLD in a rule's actions and condition become columns of the rule's row source, a
//    subquery made of the original statement: for INSERT its VALUES or SELECT (with the target's
//    defaults for the columns it leaves out), for UPDATE and DELETE its target, FROM / USING and
//    WHERE (OLD the target row, NEW the row the SET list makes of it);
//  - an action that needs that source gets it added to its FROM (or USING), with the rule's
//    condition added to its WHERE;
//  - the original statement runs first for INSERT and last for UPDATE / DELETE (ALSO rules), not
//    at all after an unconditional INSTEAD rule, and with "condition IS NOT TRUE" added after a
//    conditional INSTEAD rule;
//  - an INSTEAD rule's action with RETURNING gives the original statement's RETURNING.
#pragma once

#include <boost/json.hpp>

#include <string>
#include <vector>

#include "catalog/catalog.h"

namespace heliosdb::planner {

struct RewrittenStatement {
  boost::json::value tree;   // {"InsertStmt": ...}, {"SelectStmt": ...} (an action with RETURNING), {"NotifyStmt": ...}
  char source = 'o';         // 'o' the original statement, 'i' an INSTEAD rule's action, 'q' a conditional
                             // INSTEAD rule's, 'a' an ALSO rule's
  std::string command;       // INSERT, UPDATE, DELETE, SELECT, NOTIFY: what the statement does
  bool returns_rows = false; // it gives the original statement's RETURNING rows
};

// The statements a DML statement becomes; nullopt when no rule applies (the statement runs as
// it is). in_with: the statement is a data-modifying WITH query (PostgreSQL's restrictions).
std::optional<std::vector<RewrittenStatement>> rewrite_rules(const catalog::Catalog& cat, const boost::json::object& stmt,
                                                              bool in_with = false);

// The checks of CREATE RULE on the rule's actions and condition (NEW / OLD use, RETURNING): the
// actions made against a row source of the relation's column types, to be bound by the caller.
std::vector<boost::json::value> rule_actions_for_check(const catalog::TableDef& t, char event,
                                                       const boost::json::value* qual, const boost::json::array& actions);

}  // namespace heliosdb::planner
