// Records: composite values, PostgreSQL's row values. A record Value has the type of a composite
// type (a table's row type, CREATE TYPE ... AS) or record (2249) for an anonymous row
// (ROW(1, 'a'), a subquery's whole row). Its string datum holds the fields with their names and
// types (see encode), so a record describes itself wherever it goes: rows, arrays, JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/types.h"
#include "heliosdb/value.h"

namespace heliosdb::types { struct TextContext; }

namespace heliosdb::record {

// The shape of a row type: its fields' names, types and typmods.
using Shape = types::RowShape;

// Whether values of type t are records: record itself or a composite type.
bool is_record(uint32_t t);

// The shape of a record type as the binder knows it: a composite type's attributes, or for
// record an anonymous shape registered by bless (typmod >= 0). nullptr when unknown (a record
// whose shape shows only at run time).
const Shape* shape_of(uint32_t type, int32_t typmod);
// Registers an anonymous row shape for the process's lifetime (PostgreSQL's "blessed" record
// typmods); the same shape gives the same typmod.
int32_t bless(const Shape& shape);

struct Record {
  std::vector<std::string> names;
  std::vector<Value> values;  // NULL fields are NULL Values of their type
};

std::string encode(const Record& r);
Record decode(const Value& v);
Value make(uint32_t type, const Record& r);
// The value of field i of a record Value (its type from the datum).
Value field(const Value& v, size_t i);

// record_in for a type whose shape is known; 22P02 "malformed record literal" as PostgreSQL.
Value parse(uint32_t type, const Shape& shape, std::string_view text, const types::TextContext& ctx);
// Raises 23502/23514 unless each field of rec, a value of composite type c, satisfies the domain
// its attribute was declared with.
void check_domains(const types::CompositeType& c, const Record& rec);
// record_out: (1,abc,"a b",) — fields quoted when they need it, NULL as nothing.
void append_text(std::string& out, const Value& v, const types::TextContext& ctx);

// Orders records as PostgreSQL's btree record_cmp: field by field, NULL after any value and equal
// to NULL; then by field count.
int compare(const Record& a, const Record& b, int (*cmp)(const Value&, const Value&));

}  // namespace heliosdb::record
