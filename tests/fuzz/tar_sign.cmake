imaevm_add_fuzz_target(tar_sign ${CMAKE_CURRENT_LIST_DIR}/tar_sign.cpp LIBS imaevm_sign)
