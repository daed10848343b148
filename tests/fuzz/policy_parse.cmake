imaevm_add_fuzz_target(policy_parse ${CMAKE_CURRENT_LIST_DIR}/policy_parse.cpp LIBS imaevm_policy)
