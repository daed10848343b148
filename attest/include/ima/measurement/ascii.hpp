// The text form of a measurement list entry, exactly as the kernel prints it
// in ascii_runtime_measurements (ima_fs.c: ima_ascii_measurements_show): the
// PCR right-aligned in two columns, the recorded template digest in hex, the
// template name, then every field after one space each, as its show function
// prints it (an empty field leaves only the space).
#pragma once

#include <string>

#include "ima/measurement/list.hpp"

namespace ima::measurement {

// Appends one line, with its '\n'.
void append_ascii_line(std::string& out, const Entry& e, ByteOrder order);

// The value of field `i` of a known entry as the kernel prints it.
std::string ascii_field(const Entry& e, size_t i, ByteOrder order);

}  // namespace ima::measurement
