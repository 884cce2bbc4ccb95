#include "scheduler/core/task_row_fields.h"

#include <charconv>
#include <string>

namespace borealis::scheduler {

namespace {

// A cursor over a row in task_row's exact shape. Every read returns false on the first
// byte it does not expect; the caller then falls back to the JSON parser.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  bool literal(std::string_view lit) {
    if (s_.substr(pos_, lit.size()) != lit) return false;
    pos_ += lit.size();
    return true;
  }
  bool peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  bool at_end() const { return pos_ == s_.size(); }

  // A string without escapes (an escape sends the row to the JSON parser).
  bool string(std::string_view* out) {
    if (!literal("\"")) return false;
    size_t end = s_.find_first_of("\"\\", pos_);
    if (end == std::string_view::npos || s_[end] != '"') return false;
    *out = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return true;
  }

  template <typename Int>
  bool integer(Int* out) {
    const char* first = s_.data() + pos_;
    auto [ptr, ec] = std::from_chars(first, s_.data() + s_.size(), *out);
    if (ec != std::errc() || ptr == first) return false;
    pos_ += static_cast<size_t>(ptr - first);
    return true;
  }

  bool boolean(bool* out) {
    if (literal("true")) {
      *out = true;
      return true;
    }
    *out = false;
    return literal("false");
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

bool scan_ports(Scanner& in, TaskRowFields& f) {
  if (!in.literal(",\"ports\":{")) return false;
  while (!in.peek('}')) {
    if (!f.ports.empty() && !in.literal(",")) return false;
    std::pair<std::string_view, int64_t> port;
    if (!in.string(&port.first) || !in.literal(":") || !in.integer(&port.second)) return false;
    f.ports.push_back(port);
  }
  return in.literal("}");
}

bool scan_events(Scanner& in, TaskRowFields& f) {
  if (!in.literal(",\"events\":[")) return false;
  while (!in.peek(']')) {
    if (!f.events.empty() && !in.literal(",")) return false;
    TaskRowEvent e;
    if (!in.literal("[") || !in.integer(&e.ts_ms) || !in.literal(",") || !in.string(&e.state) ||
        !in.literal(",") || !in.string(&e.message) || !in.literal("]"))
      return false;
    f.events.push_back(e);
  }
  return in.literal("]");
}

// Field readers over parsed JSON: absent leaves *out as it is (unless required).
Status string_field(const json::object& o, std::string_view key, bool required,
                    std::string_view* out) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) {
    if (required) return invalid_argument("task." + std::string(key) + ": required");
    return Status();
  }
  if (!v->is_string()) return invalid_argument("task." + std::string(key) + ": expected a string");
  *out = v->get_string();
  return Status();
}

template <typename Int>
Status int_field(const json::object& o, std::string_view key, bool required, Int* out) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) {
    if (required) return invalid_argument("task." + std::string(key) + ": required");
    return Status();
  }
  boost::system::error_code ec;
  Int n = v->to_number<Int>(ec);
  if (ec) return invalid_argument("task." + std::string(key) + ": expected an integer");
  *out = n;
  return Status();
}

}  // namespace

bool scan_task_row(std::string_view row, TaskRowFields* out) {
  TaskRowFields& f = *out;
  Scanner in(row);
  bool ok = in.literal("{\"id\":") && in.string(&f.id) && in.literal(",\"job\":") &&
            in.string(&f.job) && in.literal(",\"config\":") && in.string(&f.config) &&
            in.literal(",\"instance\":") && in.integer(&f.instance) && in.literal(",\"state\":") &&
            in.string(&f.state) && in.literal(",\"agent\":") && in.string(&f.agent) &&
            scan_ports(in, f) && in.literal(",\"failures\":") && in.integer(&f.failures) &&
            in.literal(",\"throttle_until\":") && in.integer(&f.throttle_until_ms) &&
            in.literal(",\"penalty\":") && in.integer(&f.penalty_ms) &&
            in.literal(",\"running_since\":") && in.integer(&f.running_since_ms) &&
            in.literal(",\"kill\":") && in.boolean(&f.kill) && scan_events(in, f) &&
            in.literal("}") && in.at_end();
  return ok;
}

Status read_task_row(const json::object& o, TaskRowFields* out) {
  TaskRowFields& f = *out;
  BOREALIS_RETURN_IF_ERROR(string_field(o, "id", true, &f.id));
  BOREALIS_RETURN_IF_ERROR(string_field(o, "job", true, &f.job));
  BOREALIS_RETURN_IF_ERROR(string_field(o, "config", true, &f.config));
  BOREALIS_RETURN_IF_ERROR(int_field(o, "instance", true, &f.instance));
  BOREALIS_RETURN_IF_ERROR(string_field(o, "state", true, &f.state));
  BOREALIS_RETURN_IF_ERROR(string_field(o, "agent", false, &f.agent));
  BOREALIS_RETURN_IF_ERROR(int_field(o, "failures", false, &f.failures));
  BOREALIS_RETURN_IF_ERROR(int_field(o, "throttle_until", false, &f.throttle_until_ms));
  BOREALIS_RETURN_IF_ERROR(int_field(o, "penalty", false, &f.penalty_ms));
  BOREALIS_RETURN_IF_ERROR(int_field(o, "running_since", false, &f.running_since_ms));
  if (const json::value* kill = o.if_contains("kill"); kill && !kill->is_null()) {
    if (!kill->is_bool()) return invalid_argument("task.kill: expected true or false");
    f.kill = kill->get_bool();
  }
  if (const json::value* ports = o.if_contains("ports"); ports && ports->is_object()) {
    for (const auto& kv : ports->get_object()) {
      boost::system::error_code ec;
      int64_t port = kv.value().to_number<int64_t>(ec);
      if (ec) return invalid_argument("task.ports." + std::string(kv.key()) + ": not a number");
      f.ports.emplace_back(kv.key(), port);
    }
  }
  if (const json::value* events = o.if_contains("events"); events && events->is_array()) {
    for (const auto& e : events->get_array()) {
      const json::array* a = e.if_array();
      if (!a || a->size() != 3 || !(*a)[1].is_string() || !(*a)[2].is_string())
        return invalid_argument("task.events: expected [time, state, message]");
      boost::system::error_code ec;
      TimeMs ts = (*a)[0].to_number<int64_t>(ec);
      if (ec) return invalid_argument("task.events: a time is not a number");
      f.events.push_back(TaskRowEvent{ts, (*a)[1].get_string(), (*a)[2].get_string()});
    }
  }
  return Status();
}

}  // namespace borealis::scheduler
