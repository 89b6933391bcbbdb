// Views of the system catalog (pg_catalog) whose rows are computed when read, from the
// session's and the catalog's state. The engine produces their rows (SessionServices::system_rows).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace heliosdb::catalog {

struct SystemView {
  std::string name;
  std::vector<std::pair<std::string, uint32_t>> columns;  // name, type OID
};

// The view `name` of pg_catalog, or nullptr.
const SystemView* find_system_view(std::string_view name);

}  // namespace heliosdb::catalog
