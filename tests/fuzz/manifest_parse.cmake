imaevm_add_fuzz_target(manifest_parse ${CMAKE_CURRENT_LIST_DIR}/manifest_parse.cpp LIBS imaevm_core)
