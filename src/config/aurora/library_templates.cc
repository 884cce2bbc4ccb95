#include "config/aurora/library_templates.h"

namespace borealis::config {

bool is_library_template(std::string_view file) {
  return file.substr(0, kLibraryTemplatePrefix.size()) == kLibraryTemplatePrefix;
}

Result<std::string> library_template_source(std::string_view file) {
  if (!is_library_template(file))
    return invalid_argument("'" + std::string(file) +
                            "' is not a library template (borealis/NAME)");
  std::string_view name = file.substr(kLibraryTemplatePrefix.size());
  // The name goes into Python source: letters, digits and _ only, not starting with a digit.
  bool ok = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name)
    ok = ok &&
         ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok)
    return invalid_argument("file: '" + std::string(file) +
                            "': a library template's name is letters, digits and _");
  return "from borealis.templates import library_jobs\njobs = library_jobs('" + std::string(name) +
         "')\n";
}

}  // namespace borealis::config
