# Every dependency comes from a Debian 12 package (see tools/setup-debian.sh).
find_package(Threads REQUIRED)
find_package(leveldb CONFIG REQUIRED)
find_package(fmt CONFIG REQUIRED)
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS json)
find_package(OpenSSL REQUIRED)

find_path(PG_QUERY_INCLUDE_DIR pg_query.h REQUIRED)
find_library(PG_QUERY_LIBRARY NAMES libpg_query.a pg_query REQUIRED)
add_library(heliosdb_pg_query STATIC IMPORTED GLOBAL)
set_target_properties(heliosdb_pg_query PROPERTIES
  IMPORTED_LOCATION ${PG_QUERY_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${PG_QUERY_INCLUDE_DIR})

find_library(LEVELDB_MEMENV_LIBRARY NAMES libmemenv.a memenv REQUIRED)
