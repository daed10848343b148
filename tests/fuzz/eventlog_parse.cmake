imaevm_add_fuzz_target(eventlog_parse ${CMAKE_CURRENT_LIST_DIR}/eventlog_parse.cpp LIBS imaevm_attest)
