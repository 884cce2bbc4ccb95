#include "common/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace borealis {

void init_logging(const std::string& component, const std::string& level) {
  auto logger = spdlog::get(component);
  if (!logger) logger = spdlog::stderr_color_mt(component);
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%L%$ [%n] %v");
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
  spdlog::flush_on(spdlog::level::info);
}

}  // namespace borealis
