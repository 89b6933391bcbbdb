// libheliosdb: the engine layers linked into one shared library (see lib/CMakeLists.txt).
