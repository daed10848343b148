imaevm_add_fuzz_target(key_load ${CMAKE_CURRENT_LIST_DIR}/key_load.cpp LIBS imaevm_core)
