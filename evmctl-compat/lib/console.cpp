#include "console.hpp"

namespace ima::evmctl {

void Console::print(const std::string& text) {
    std::lock_guard lk(m_);
    out_ << text;
    out_.flush();
}

void Console::error(const std::string& message) {
    std::lock_guard lk(m_);
    err_ << tool_ << ": error: " << message << '\n';
    err_.flush();
}

void Console::warning(const std::string& message) {
    std::lock_guard lk(m_);
    err_ << tool_ << ": warning: " << message << '\n';
    err_.flush();
}

void Console::info(const std::string& line) {
    std::lock_guard lk(m_);
    err_ << line << '\n';
    err_.flush();
}

void Console::debug(const std::string& line) {
    if (verbose_ > 0) info(line);
}

}  // namespace ima::evmctl
