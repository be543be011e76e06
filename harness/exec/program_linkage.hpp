// Whether a program can be recorded through LD_PRELOAD: only a dynamically linked one runs the
// dynamic loader that loads the recorder.
#pragma once

#include <string>
#include <vector>

namespace alloclab::exec {

// Where execvp would find `name`: itself when it holds a '/', else the first executable regular
// file of that name in $PATH; empty when there is none (exec then says why).
std::string find_program(const std::string& name);

// True when `path` is an ELF file with no PT_INTERP program header: statically linked, so no
// dynamic loader runs in it and LD_PRELOAD cannot reach it. False for anything else (a
// dynamically linked program, a script, an unreadable file).
bool is_static_elf(const std::string& path);

// The symbols an ELF program imports (its undefined dynamic symbols); empty for anything else.
std::vector<std::string> imported_symbols(const std::string& path);

}  // namespace alloclab::exec
