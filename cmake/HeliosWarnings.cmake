# Compiler warnings and sanitizers shared by every target of the project.
add_library(heliosdb_warnings INTERFACE)
target_compile_options(heliosdb_warnings INTERFACE
  -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)
if(HELIOSDB_WERROR)
  target_compile_options(heliosdb_warnings INTERFACE -Werror)
endif()
if(HELIOSDB_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
