// Fuzzes the kernel configuration parser and lint with a configuration: any
// text parses or throws FormatError, and lint never fails on what it gives.
#include "ima/policy/kernel_config.hpp"

#include <cstdint>

#include "ima/error.hpp"
#include "ima/policy/lint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace ima::policy;
    try {
        KernelConfig c = parse_kernel_config(ima::ByteView(data, size), "fuzz");
        static const Policy p = parse_policy(
            "appraise func=MODULE_CHECK appraise_type=imasig|modsig\nmeasure func=KEY_CHECK\n"
            "appraise func=BPRM_CHECK appraise_type=imasig appraise_algos=sha256,sha512,sm3,wp512\n"
            "measure func=CRITICAL_DATA label=selinux\nmeasure func=FILE_CHECK template=evm-sig\n"
            "appraise func=FILE_CHECK digest_type=verity appraise_type=sigv3\n");
        LintOptions o;
        o.config = &c;
        (void)lint_policy(p, o);
    } catch (const ima::FormatError&) {
    }
    return 0;
}
