#include "heliosdb/heliosdb.h"

namespace heliosdb {

const char* version() { return "0.1.0"; }

}  // namespace heliosdb
