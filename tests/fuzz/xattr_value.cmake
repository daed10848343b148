imaevm_add_fuzz_target(xattr_value ${CMAKE_CURRENT_LIST_DIR}/xattr_value.cpp LIBS imaevm_core)
