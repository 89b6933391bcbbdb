#include "planner/deparse.h"

#include "common/array.h"
#include "common/types.h"
#include "executor/functions.h"
#include "sql/parser.h"

namespace heliosdb::planner {

std::string quote_literal(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');  // standard_conforming_strings: backslashes stay as they are
  return out;
}

namespace {

bool is_operator_name(const std::string& n) {
  return !n.empty() && n.find_first_not_of("+-*/<>=~!@#%^&|`?") == std::string::npos;
}

class Deparser {
 public:
  Deparser(const std::vector<std::string>& cols, const types::TextContext& text, bool pretty)
      : cols_(cols), text_(text), pretty_(pretty) {}

  // showimplicit: whether an implicit cast at this position is printed (false only at the top);
  // parent: the expression this one is an operand of (nullptr at the top and in call arguments).
  std::string expr(const exec::Expr& e, bool showimplicit, const exec::Expr* parent) {
    const exec::Expr* self = &e;
    if (auto* c = dynamic_cast<const exec::ConstExpr*>(&e)) return constant(c->value, -1, 0);
    if (auto* c = dynamic_cast<const exec::ColumnExpr*>(&e)) {
      if (c->index >= cols_.size()) return "?column?";
      // A name marked with \x01 prints as it is (a domain's VALUE).
      return cols_[c->index].starts_with('\x01') ? cols_[c->index].substr(1) : sql::quote_ident(cols_[c->index]);
    }
    if (auto* c = dynamic_cast<const exec::CastExpr*>(&e)) {
      if (!c->explicit_ && !showimplicit) return expr(*c->arg, false, parent);
      // PostgreSQL compares integers of different widths (and float4 with float8) with
      // cross-type operators, so its expression has no cast there.
      bool same_family = (types::is_integer(c->arg->type) && types::is_integer(c->type)) ||
                         (types::is_float(c->arg->type) && types::is_float(c->type));
      if (!c->explicit_ && same_family && !dynamic_cast<const exec::ConstExpr*>(c->arg.get()))
        return expr(*c->arg, showimplicit, parent);
      std::string out;
      auto* k = dynamic_cast<const exec::ConstExpr*>(c->arg.get());
      if (k && types::is_reg(c->type)) {
        // 16386::regclass is kept as PostgreSQL keeps it: a regclass constant, 'name'::regclass.
        exec::ExecContext ctx;
        ctx.text = text_;
        return constant(exec::cast_value(k->value, c->type, -1, true, ctx), -1, 0);
      }
      if (k && k->type == c->type && k->typmod < 0) {
        out = constant(k->value, -1, -1);
      } else {
        std::string inner = expr(*c->arg, true, nullptr);
        out = pretty_ && simple(*c->arg) ? inner : "(" + inner + ")";
      }
      return out + "::" + types::format_type_with_typmod(c->type, c->typmod);
    }
    if (auto* v = dynamic_cast<const exec::SqlValueExpr*>(&e))
      return v->keyword + (v->typmod >= 0 ? "(" + std::to_string(v->typmod) + ")" : "");
    if (auto* f = dynamic_cast<const exec::FuncExpr*>(&e)) {
      if (is_operator_name(f->def->name)) {
        std::string out;
        if (f->args.size() == 1) out = f->def->name + " " + expr(*f->args[0], true, self);
        else out = expr(*f->args[0], true, self) + " " + f->def->name + " " + expr(*f->args[1], true, self);
        return wrap(out, self, parent);
      }
      std::string out = f->def->name + "(";
      for (size_t i = 0; i < f->args.size(); ++i)
        out += (i ? ", " : "") + std::string(f->variadic_array && i + 1 == f->args.size() ? "VARIADIC " : "") +
               expr(*f->args[i], true, nullptr);
      return out + ")";
    }
    if (auto* b = dynamic_cast<const exec::BoolExpr*>(&e)) {
      if (b->op == exec::BoolOp::kNot) return wrap("NOT " + expr(*b->args[0], true, self), self, parent);
      std::string out;
      for (size_t i = 0; i < b->args.size(); ++i)
        out += (i ? (b->op == exec::BoolOp::kAnd ? " AND " : " OR ") : "") + expr(*b->args[i], true, self);
      return wrap(out, self, parent);
    }
    if (auto* t = dynamic_cast<const exec::TestExpr*>(&e)) {
      static const char* kWords[] = {" IS NULL", " IS NOT NULL", " IS TRUE", " IS NOT TRUE", " IS FALSE",
                                     " IS NOT FALSE", " IS UNKNOWN", " IS NOT UNKNOWN"};
      return wrap(expr(*t->arg, true, self) + kWords[static_cast<int>(t->kind)], self, parent);
    }
    if (auto* in = dynamic_cast<const exec::InListExpr*>(&e)) {
      // PostgreSQL keeps x IN (a, b) as x = ANY (ARRAY[a, b]).
      std::string left, items;
      for (size_t i = 0; i < in->tests.size(); ++i) {
        auto* f = dynamic_cast<const exec::FuncExpr*>(in->tests[i].get());
        if (!f || f->args.size() != 2) return "?";
        if (i == 0) left = expr(*f->args[0], true, self);
        items += (i ? ", " : "") + expr(*f->args[1], true, nullptr);
      }
      return wrap(left + (in->negate ? " <> ALL (ARRAY[" : " = ANY (ARRAY[") + items + "])", self, parent);
    }
    if (auto* a = dynamic_cast<const exec::ArrayExpr*>(&e)) {
      std::string out = "ARRAY[";
      for (size_t i = 0; i < a->items.size(); ++i) out += (i ? ", " : "") + expr(*a->items[i], true, nullptr);
      return out + "]";
    }
    if (auto* a = dynamic_cast<const exec::ArrayAnyExpr*>(&e)) {
      auto* f = dynamic_cast<const exec::FuncExpr*>(a->test.get());
      std::string op = f ? f->def->name : "=";
      return wrap(expr(*a->lhs, true, self) + " " + op + (a->all_ ? " ALL (" : " ANY (") + expr(*a->array, true, nullptr) + ")", self, parent);
    }
    if (auto* c = dynamic_cast<const exec::CaseExpr*>(&e)) {
      std::string out = "CASE";
      for (size_t i = 0; i < c->conds.size(); ++i)
        out += " WHEN " + expr(*c->conds[i], true, nullptr) + " THEN " + expr(*c->results[i], true, nullptr);
      if (c->otherwise) out += " ELSE " + expr(*c->otherwise, true, nullptr);
      return out + " END";
    }
    if (auto* c = dynamic_cast<const exec::CoalesceExpr*>(&e)) {
      std::string out = c->mode == 0 ? "COALESCE(" : c->mode == 1 ? "GREATEST(" : "LEAST(";
      for (size_t i = 0; i < c->args.size(); ++i) out += (i ? ", " : "") + expr(*c->args[i], true, nullptr);
      return out + ")";
    }
    if (auto* d = dynamic_cast<const exec::DistinctExpr*>(&e))
      return wrap(expr(*d->left, true, self) + (d->negate ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ") +
                      expr(*d->right, true, self),
                  self, parent);
    return "?";
  }

 private:
  // Parentheses: always around operators in PostgreSQL's plain output; in pretty output where
  // the operand would otherwise bind differently (ruleutils' isSimpleNode).
  std::string wrap(const std::string& s, const exec::Expr* self, const exec::Expr* parent) const {
    return !pretty_ || (parent && !binds_tighter(*self, *parent)) ? "(" + s + ")" : s;
  }

  static int precedence(const std::string& op) {
    if (op == "*" || op == "/" || op == "%") return 3;
    if (op == "+" || op == "-") return 2;
    if (op == "=" || op == "<>" || op == "<" || op == ">" || op == "<=" || op == ">=") return 0;
    return 1;  // any other operator: between arithmetic and comparison
  }
  static const std::string* op_name(const exec::Expr& e) {
    auto* f = dynamic_cast<const exec::FuncExpr*>(&e);
    return f && is_operator_name(f->def->name) ? &f->def->name : nullptr;
  }
  static bool binds_tighter(const exec::Expr& child, const exec::Expr& parent) {
    auto* pb = dynamic_cast<const exec::BoolExpr*>(&parent);
    if (auto* cb = dynamic_cast<const exec::BoolExpr*>(&child)) {
      if (!pb) return false;
      if (cb->op == exec::BoolOp::kOr) return pb->op == exec::BoolOp::kOr;
      return pb->op != exec::BoolOp::kNot || cb->op == exec::BoolOp::kNot;
    }
    if (pb) return true;  // operators and tests under AND / OR / NOT
    const std::string* c = op_name(child);
    const std::string* p = op_name(parent);
    if (c && p) return precedence(*c) > precedence(*p);
    return false;
  }

  static bool simple(const exec::Expr& e) {
    return dynamic_cast<const exec::ColumnExpr*>(&e) || dynamic_cast<const exec::ConstExpr*>(&e) ||
           (dynamic_cast<const exec::FuncExpr*>(&e) &&
            !is_operator_name(static_cast<const exec::FuncExpr&>(e).def->name));
  }

  // get_const_expr: numbers bare (signed ones in parentheses), everything else quoted, with a
  // ::type label unless the literal reads back as that type anyway (showtype -1: never).
  std::string constant(const Value& v, int32_t typmod, int showtype) const {
    uint32_t t = v.type();
    if (v.is_null()) return showtype < 0 || t == oid::kUnknownType ? "NULL" : "NULL::" + types::format_type_with_typmod(t, typmod);
    std::string text = types::format_text(v, text_);
    std::string out;
    bool is_float = false, needlabel = true;
    switch (t) {
      case oid::kInt2: case oid::kInt4: case oid::kInt8: case oid::kOid: case oid::kFloat4: case oid::kFloat8:
      case oid::kNumeric:
        if (text.find_first_not_of("0123456789+-eE.") == std::string::npos) {
          out = text[0] == '+' || text[0] == '-' ? "(" + text + ")" : text;
          is_float = text.find_first_of("eE.") != std::string::npos;
        } else {
          out = "'" + text + "'";
        }
        break;
      case oid::kBool: out = v.as_bool() ? "true" : "false"; break;
      default: out = quote_literal(text);
    }
    if (t == oid::kBool || t == oid::kUnknownType || t == oid::kInt4) needlabel = false;
    if (t == oid::kNumeric) needlabel = !is_float || typmod >= 0;
    if (showtype >= 0 && needlabel) out += "::" + types::format_type_with_typmod(t, typmod);
    return out;
  }

  const std::vector<std::string>& cols_;
  const types::TextContext& text_;
  bool pretty_;
};

}  // namespace

std::string deparse(const exec::Expr& e, const std::vector<std::string>& columns, const types::TextContext& text,
                    bool pretty) {
  return Deparser(columns, text, pretty).expr(e, false, nullptr);
}

}  // namespace heliosdb::planner
