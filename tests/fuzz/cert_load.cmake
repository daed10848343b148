imaevm_add_fuzz_target(cert_load ${CMAKE_CURRENT_LIST_DIR}/cert_load.cpp LIBS imaevm_core)
