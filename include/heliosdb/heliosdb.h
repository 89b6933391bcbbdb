// heliosdb/heliosdb.h — include this to use HeliosDB Nano.
//
//   auto db = heliosdb::Database::open("app-data");
//   db.execute("CREATE TABLE t (id serial PRIMARY KEY, v text)");
//   auto r = db.execute("INSERT INTO t (v) VALUES ($1), ($2) RETURNING id", {"a", "b"});
//   r.command_tag();  // "INSERT 0 2"
#pragma once

#include "heliosdb/cluster.h"
#include "heliosdb/database.h"
#include "heliosdb/error.h"
#include "heliosdb/options.h"
#include "heliosdb/result.h"
#include "heliosdb/session.h"
#include "heliosdb/value.h"

namespace heliosdb {
// "15.x"-compatible version string reported by SELECT version() and server_version.
const char* version();
}  // namespace heliosdb
