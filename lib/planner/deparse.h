// Bound expressions back to SQL text, as PostgreSQL's ruleutils prints them (pg_get_expr,
// pg_get_constraintdef, information_schema.columns.column_default).
#pragma once

#include <string>
#include <vector>

#include "common/type_io.h"
#include "executor/expr.h"

namespace heliosdb::planner {

// `columns` names the ColumnExprs by index. Pretty output (pg_get_expr(..., true)) omits the
// parentheses PostgreSQL's non-pretty output puts around every operator and cast argument.
// 'text' with quotes doubled (standard_conforming_strings).
std::string quote_literal(std::string_view s);

std::string deparse(const exec::Expr& e, const std::vector<std::string>& columns, const types::TextContext& text,
                    bool pretty);

}  // namespace heliosdb::planner
