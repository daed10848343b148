// imaevm-evmctl: evmctl's command line (ima-evm-utils 1.4) on the
// imaevm-tools core library. Installed or linked under the name "evmctl" it
// calls itself evmctl in its messages; it behaves the same either way.
#include <cstdlib>
#include <iostream>
#include <string>

#include "commands.hpp"
#include "console.hpp"
#include "parse_args.hpp"

namespace {

std::string tool_name(const char* argv0) {
    std::string name = argv0 ? argv0 : "";
    auto slash = name.rfind('/');
    if (slash != std::string::npos) name = name.substr(slash + 1);
    return name == "evmctl" ? "evmctl" : "imaevm-evmctl";
}

}  // namespace

int main(int argc, char** argv) {
    using namespace ima::evmctl;
    setenv("TSS2_LOG", "all+NONE", 0);  // tpm2-tss's own log lines: ours say it (TSS2_LOG set by the user wins)
    const std::string tool = tool_name(argc > 0 ? argv[0] : nullptr);
    ParseResult parsed = parse_args(argc, argv, tool);
    if (parsed.exit_now) {
        std::cout << parsed.out << std::flush;
        std::cerr << parsed.err << std::flush;
        return *parsed.exit_now;
    }
    Console con(std::cout, std::cerr, tool, parsed.options.verbose);
    try {
        return run_command(parsed.options, con, std::cin);
    } catch (const std::bad_alloc&) {
        con.error("out of memory");
    } catch (const std::exception& e) {
        con.error(std::string("internal error: ") + e.what());
    }
    return 125;
}
