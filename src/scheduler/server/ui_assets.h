// The web UI's files (src/scheduler/ui/), built into the binary (ui_assets.cc is generated
// from them by CMake, see CMakeLists.txt), so the scheduler serves its UI with nothing else
// installed.
#pragma once

#include <span>
#include <string_view>

namespace borealis::scheduler {

struct UiAsset {
  std::string_view name;  // file name under src/scheduler/ui/: "app.js"
  std::string_view content_type;
  std::string_view body;
};

std::span<const UiAsset> ui_assets();

}  // namespace borealis::scheduler
