imaevm_add_fuzz_target(quote_parse ${CMAKE_CURRENT_LIST_DIR}/quote_parse.cpp LIBS imaevm_attest)
