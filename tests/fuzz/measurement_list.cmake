imaevm_add_fuzz_target(measurement_list ${CMAKE_CURRENT_LIST_DIR}/measurement_list.cpp LIBS imaevm_attest)
