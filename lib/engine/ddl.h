// Data definition: CREATE/DROP TABLE, INDEX and SEQUENCE, TRUNCATE, ALTER SEQUENCE, ALTER TABLE
// ... ADD PRIMARY KEY.
// Runs inside the session's transaction on a private copy of the catalog.
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <string_view>

namespace heliosdb::catalog { struct TableDef; }

namespace heliosdb::engine {

class SessionImpl;
class ResultSink;

class DdlExecutor {
 public:
  DdlExecutor(SessionImpl& session, std::string_view sql) : s_(session), sql_(sql) {}
  void run(std::string_view type, const boost::json::object& n, ResultSink& sink);

 private:
  void create_table(const boost::json::object& n, ResultSink& sink);
  void create_table_as(const boost::json::object& n, ResultSink& sink);
  void create_index(const boost::json::object& n, ResultSink& sink);
  void create_sequence(const boost::json::object& n, ResultSink& sink);
  void alter_sequence(const boost::json::object& n, ResultSink& sink);
  void drop(const boost::json::object& n, ResultSink& sink);
  void truncate(const boost::json::object& n, ResultSink& sink);
  void alter_table(const boost::json::object& n, ResultSink& sink);
  void add_primary_key(std::shared_ptr<const catalog::TableDef> table, const boost::json::object& constraint);
  void delete_range(const std::string& prefix);
  std::string creation_schema(const boost::json::object& range_var);
  void build_index(uint32_t index_id);

  SessionImpl& s_;
  std::string_view sql_;
};

}  // namespace heliosdb::engine
