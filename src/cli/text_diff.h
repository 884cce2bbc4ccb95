// Line diffs for `job diff`: the unified format of `diff -u`, so the output reads like
// any other diff (and `patch` could apply it).
//
// Pure function; any thread. Quadratic in the number of lines: meant for documents of a
// few hundred lines (a JobSpec's JSON), not for large files.
#pragma once

#include <string>
#include <string_view>

namespace borealis::cli {

// "--- OLD_NAME\n+++ NEW_NAME\n" then hunks ("@@ -3,7 +3,7 @@", then lines starting with
// ' ', '-' or '+') with `context` unchanged lines around each change. Empty when the texts
// have the same lines.
std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         const std::string& old_name, const std::string& new_name,
                         size_t context = 3);

}  // namespace borealis::cli
