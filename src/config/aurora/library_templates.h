// The template library's job patterns as configs of their own (docs/templates.md), so a
// <job>.yaml may say `file: borealis/python_worker` and need no .aurora file at all.
// `borealis manage` asks is_library_template() before looking for <configs>/<file>.aurora,
// and loads library_template_source() instead (named "<file>.aurora" in messages).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace borealis::config {

inline constexpr std::string_view kLibraryTemplatePrefix = "borealis/";

// True for "borealis/<anything>": the library's namespace, never a file in the configs.
bool is_library_template(std::string_view file);

// The .aurora text that runs the library template `file` ("borealis/python_worker"):
// `jobs = library_jobs('python_worker')` under the manage context. A name that is not an
// identifier is refused here; an unknown one fails when the text runs, listing the names.
Result<std::string> library_template_source(std::string_view file);

}  // namespace borealis::config
