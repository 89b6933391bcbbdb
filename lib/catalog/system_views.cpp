#include "catalog/system_views.h"

#include "heliosdb/value.h"

namespace heliosdb::catalog {

const SystemView* find_system_view(std::string_view name) {
  using namespace oid;
  static const std::vector<SystemView> views = {
      {"pg_cursors",
       {{"name", kText}, {"statement", kText}, {"is_holdable", kBool}, {"is_binary", kBool}, {"is_scrollable", kBool},
        {"creation_time", kTimestamptz}}},
  };
  for (const auto& v : views)
    if (v.name == name) return &v;
  return nullptr;
}

}  // namespace heliosdb::catalog
