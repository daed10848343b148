imaevm_add_fuzz_target(tpm_public ${CMAKE_CURRENT_LIST_DIR}/tpm_public.cpp LIBS imaevm_attest)
