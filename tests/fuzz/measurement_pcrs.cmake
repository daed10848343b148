imaevm_add_fuzz_target(measurement_pcrs ${CMAKE_CURRENT_LIST_DIR}/measurement_pcrs.cpp LIBS imaevm_attest)
