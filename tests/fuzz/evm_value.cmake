imaevm_add_fuzz_target(evm_value ${CMAKE_CURRENT_LIST_DIR}/evm_value.cpp LIBS imaevm_evm)
