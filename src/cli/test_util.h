// Helpers for the CLI's tests: a temporary directory removed at the end of the test (the
// one every module's tests share).
#pragma once

#include "testing/temp_dir.h"

namespace borealis::cli::testing {

using ::borealis::testing::TempDir;

}  // namespace borealis::cli::testing
