#include "ima/policy/policy_file.hpp"

#include "ima/file_io.hpp"

namespace ima::policy {

namespace {
constexpr size_t max_policy = 4u << 20;  // far beyond any real policy; the kernel reads INT_MAX at most
}

std::string read_policy_file(const std::string& path) {
    Bytes b = read_bounded(path, ReadOptions{.max_bytes = max_policy, .nul = Nul::refuse, .allow_stdin = true});
    return std::string(b.begin(), b.end());
}

}  // namespace ima::policy
