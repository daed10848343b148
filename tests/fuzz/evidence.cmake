imaevm_add_fuzz_target(evidence ${CMAKE_CURRENT_LIST_DIR}/evidence.cpp LIBS imaevm_attest)
