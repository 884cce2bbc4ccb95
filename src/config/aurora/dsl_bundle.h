// The Aurora DSL's Python modules, compiled into the binary at build time by
// embed_python.py from src/config/aurora/python/, so the borealis binary does not depend
// on a source checkout. Each module is there twice: as bytecode compiled by Debian's
// python3 (loaded when the embedded interpreter is the same version, which saves ~20 ms
// of compiling at every start) and as source (the fallback).
#pragma once

#include <cstddef>

namespace borealis::config {

struct DslModule {
  const char* name;  // "borealis_aurora.refs"
  const char* path;  // "borealis_aurora/refs.py", for tracebacks
  bool is_package;   // an __init__.py
  const char* source;
  size_t source_size;
  const char* bytecode;  // marshal.dumps() of the compiled module
  size_t bytecode_size;
};

// {major, minor} of the Python that compiled the bytecode.
extern const int kDslBytecodeVersion[2];

// In dependency order: a module comes after every module it imports.
extern const DslModule kDslModules[];
extern const size_t kDslModuleCount;

}  // namespace borealis::config
