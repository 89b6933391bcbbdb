# cmake --install: headers, libraries and a package config for find_package(heliosdb).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(DIRECTORY include/heliosdb DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES bindings/c/heliosdb_c.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS heliosdb heliosdb_pgwire heliosdb_c EXPORT heliosdbTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT heliosdbTargets NAMESPACE heliosdb::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/heliosdb)
configure_package_config_file(cmake/heliosdbConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/heliosdbConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/heliosdb)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/heliosdbConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/heliosdbConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/heliosdbConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/heliosdb)
install(TARGETS heliosdb-nano RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
