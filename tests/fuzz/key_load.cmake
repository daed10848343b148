# Leaks are checked once, when the run ends (LeakSanitizer at exit), not after
# each input: OpenSSL's decoders leave allocations behind on every input, so
# libFuzzer's per-input check stopped the process for a leak scan on nearly
# every input (20000 inputs took over ten minutes instead of under one).
imaevm_add_fuzz_target(key_load ${CMAKE_CURRENT_LIST_DIR}/key_load.cpp LIBS imaevm_core FLAGS -detect_leaks=0)
