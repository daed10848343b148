imaevm_add_fuzz_target(kernel_config ${CMAKE_CURRENT_LIST_DIR}/kernel_config.cpp LIBS imaevm_policy)
