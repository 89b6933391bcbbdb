#include "heliosdb/error.h"

namespace heliosdb {

Error::Error(std::string sqlstate, std::string message)
    : sqlstate_(std::move(sqlstate)), message_(std::move(message)) {}

}  // namespace heliosdb
