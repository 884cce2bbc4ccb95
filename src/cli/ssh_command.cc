#include "cli/ssh_command.h"

#include "common/strings.h"

namespace borealis::cli {

std::string shell_quote(const std::string& s) {
  bool safe = !s.empty();
  for (char c : s)
    safe = safe && (std::isalnum(static_cast<unsigned char>(c)) ||
                    std::string_view("@%+=:,./_-").find(c) != std::string_view::npos);
  if (safe) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string shell_join(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) out += (out.empty() ? "" : " ") + shell_quote(a);
  return out;
}

Result<std::vector<std::string>> ssh_argv(const SshTarget& target, const std::string& program,
                                          const std::string& command,
                                          const std::vector<std::string>& tunnels) {
  std::vector<std::string> argv;
  for (const std::string& word : split(program, ' '))
    if (!word.empty()) argv.push_back(word);
  if (argv.empty()) argv.push_back("ssh");
  argv.push_back("-t");
  for (const std::string& tunnel : tunnels) {
    size_t colon = tunnel.find(':');
    auto local = parse_int64(tunnel.substr(0, colon));
    if (colon == std::string::npos || !local || *local < 1 || *local > 65535)
      return invalid_argument("--tunnel '" + tunnel +
                              "': expected LOCALPORT:NAME with LOCALPORT 1-65535");
    std::string name = tunnel.substr(colon + 1);
    auto port = target.ports.find(name);
    if (port == target.ports.end()) {
      std::vector<std::string> names;
      for (const auto& [n, _] : target.ports) names.push_back(n);
      return invalid_argument("--tunnel '" + tunnel + "': the task has no port '" + name +
                              "' (its ports: " + (names.empty() ? "none" : join(names, ", ")) +
                              ")");
    }
    argv.push_back("-L");
    argv.push_back(std::to_string(*local) + ":" + target.host + ":" + std::to_string(port->second));
  }
  argv.push_back(target.user + "@" + target.host);
  argv.push_back("cd " + shell_quote(target.work_dir) + " && " +
                 (command.empty() ? "exec $SHELL -l" : command));
  return argv;
}

}  // namespace borealis::cli
