#include "ima/cli.hpp"

#include <sys/resource.h>

#include <cstdio>
#include <iostream>
#include <new>
#include <vector>

#include "ima/error.hpp"
#include "ima/printable.hpp"

namespace ima {

// Messages name files, and file names are hostile: a newline in one must
// not start a line of its own.
void print_error(const std::string& tool, const std::string& message) {
    std::fprintf(stderr, "%s: error: %s\n", tool.c_str(), printable(message).c_str());
}

void print_warning(const std::string& tool, const std::string& message) {
    std::fprintf(stderr, "%s: warning: %s\n", tool.c_str(), printable(message).c_str());
}

std::string json_text(const nlohmann::json& doc) {
    // File names need not be UTF-8; JSON strings must be.
    return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

void print_json(const nlohmann::json& doc) {
    std::string text = json_text(doc);
    text += '\n';
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

void raise_fd_limit() {
    struct rlimit rl {};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

void add_common_options(CLI::App& app, CommonOptions& opts) {
    app.set_version_flag("--version", std::string(app.get_name()) + " (imaevm-tools) " IMAEVM_VERSION);
    app.add_flag("-v,--verbose", opts.verbose, "More output");
    app.add_flag("-q,--quiet", opts.quiet, "Only errors");
    app.require_subcommand(0, 1);
    app.fallthrough();  // -v, -q after the subcommand too
}

int run_cli(CLI::App& app, int argc, char** argv, const std::function<int()>& dispatch) {
    const std::string tool = app.get_name();
    raise_fd_limit();
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        print_error(tool, e.what());
        return static_cast<int>(ErrorKind::usage);
    }
    try {
        return dispatch();
    } catch (const Error& e) {
        print_error(tool, e.what());
        return e.exit_status();
    } catch (const std::bad_alloc&) {
        print_error(tool, "out of memory");
        return static_cast<int>(ErrorKind::env);
    } catch (const std::exception& e) {
        print_error(tool, std::string("internal error: ") + e.what());
        return static_cast<int>(ErrorKind::env);
    }
}

int run_subcommands(CLI::App& app, int argc, char** argv, std::initializer_list<SubcommandMaker> makers) {
    CommonOptions common;
    add_common_options(app, common);
    app.require_subcommand(1);
    std::vector<std::unique_ptr<Subcommand>> commands;
    for (auto make : makers) {
        commands.push_back(make());
        commands.back()->setup(app, common);
    }
    return run_cli(app, argc, argv, [&] {
        for (auto& c : commands)
            if (c->selected) return c->run();
        return static_cast<int>(ErrorKind::usage);
    });
}

}  // namespace ima
