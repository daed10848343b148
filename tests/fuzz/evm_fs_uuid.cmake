imaevm_add_fuzz_target(evm_fs_uuid ${CMAKE_CURRENT_LIST_DIR}/evm_fs_uuid.cpp LIBS imaevm_evm)
