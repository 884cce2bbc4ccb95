#include "taskcontract/task_spec.h"

#include <cmath>
#include <cstdint>

#include "taskcontract/json_lite.h"
#include "taskcontract/process_rules.h"

namespace borealis::taskcontract {

namespace {

using json::Value;

// Reads typed fields of one JSON object; errors carry the dotted field path.
class Fields {
 public:
  Fields(const Value& obj, std::string path) : obj_(obj), path_(std::move(path)) {}

  std::string path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  Status error(std::string_view key, std::string_view what) const {
    return invalid_argument(path(key) + ": " + std::string(what));
  }
  const Value* get(std::string_view key) const {
    const Value* v = obj_.find(key);
    return (v == nullptr || v->type == Value::Type::kNull) ? nullptr : v;
  }
  Status missing_or(std::string_view key, bool required) const {
    return required ? error(key, "is required") : Status();
  }
  Status wrong_type(std::string_view key, const Value& v, std::string_view want) const {
    return error(
        key, "expected " + std::string(want) + ", found " + std::string(json::type_name(v.type)));
  }

  Status str(std::string_view key, std::string* out, bool required = false) const {
    const Value* v = get(key);
    if (!v) return missing_or(key, required);
    if (v->type != Value::Type::kString) return wrong_type(key, *v, "a string");
    *out = v->string;
    return Status();
  }
  Status integer(std::string_view key, int64_t* out, int64_t min, int64_t max) const {
    const Value* v = get(key);
    if (!v) return Status();
    if (v->type != Value::Type::kNumber || !v->is_integer) return wrong_type(key, *v, "an integer");
    if (v->integer < min || v->integer > max)
      return error(key, std::to_string(v->integer) + " is out of range [" + std::to_string(min) +
                            ", " + std::to_string(max) + "]");
    *out = v->integer;
    return Status();
  }
  Status boolean(std::string_view key, bool* out) const {
    const Value* v = get(key);
    if (!v) return Status();
    if (v->type != Value::Type::kBool) return wrong_type(key, *v, "a boolean");
    *out = v->boolean;
    return Status();
  }
  // A non-negative number of seconds (integer or fractional), kept in milliseconds.
  Status seconds(std::string_view key, TimeMs* out_ms) const {
    const Value* v = get(key);
    if (!v) return Status();
    if (v->type != Value::Type::kNumber) return wrong_type(key, *v, "a number of seconds");
    if (v->number < 0 || v->number > kMaxSeconds) return error(key, "expected 0 to 1e9 seconds");
    *out_ms = static_cast<TimeMs>(std::llround(v->number * 1000));
    return Status();
  }
  Result<const Value*> array(std::string_view key, bool required = false) const {
    const Value* v = get(key);
    if (!v) {
      if (required) return error(key, "is required");
      return static_cast<const Value*>(nullptr);
    }
    if (v->type != Value::Type::kArray) return wrong_type(key, *v, "an array");
    return v;
  }

 private:
  const Value& obj_;
  std::string path_;
};

std::string index_path(const std::string& base, size_t i) {
  return base + "[" + std::to_string(i) + "]";
}

// `logger`: {"destination", "mode", "rotate": {"log_size", "backups"}}, as JobSpec writes it.
Status parse_logger(const Value& v, const std::string& path, LogPolicy* out) {
  if (v.type != Value::Type::kObject)
    return invalid_argument(path + ": expected an object, found " +
                            std::string(json::type_name(v.type)));
  Fields f(v, path);
  std::string destination = "file", mode = "standard";
  BOREALIS_RETURN_IF_ERROR(f.str("destination", &destination));
  BOREALIS_RETURN_IF_ERROR(f.str("mode", &mode));
  int64_t log_size = out->log_size, backups = out->backups;
  if (const Value* rotate = f.get("rotate")) {
    if (rotate->type != Value::Type::kObject) return f.wrong_type("rotate", *rotate, "an object");
    Fields rf(*rotate, f.path("rotate"));
    BOREALIS_RETURN_IF_ERROR(rf.integer("log_size", &log_size, 0, INT64_MAX));
    BOREALIS_RETURN_IF_ERROR(rf.integer("backups", &backups, 0, INT64_MAX));
  }
  auto policy = make_log_policy(destination, mode, log_size, backups);
  if (!policy.ok()) return invalid_argument(path + "." + policy.status().message());
  *out = *policy;
  return Status();
}

Status parse_process(const Value& v, const std::string& path, ProcessSpec* p) {
  if (v.type != Value::Type::kObject)
    return invalid_argument(path + ": expected an object, found " +
                            std::string(json::type_name(v.type)));
  Fields f(v, path);
  BOREALIS_RETURN_IF_ERROR(f.str("name", &p->name, true));
  BOREALIS_RETURN_IF_ERROR(f.str("cmdline", &p->cmdline, true));
  BOREALIS_RETURN_IF_ERROR(f.integer("max_failures", &p->max_failures, 0, kMaxCount));
  BOREALIS_RETURN_IF_ERROR(f.boolean("daemon", &p->daemon));
  BOREALIS_RETURN_IF_ERROR(f.boolean("ephemeral", &p->ephemeral));
  BOREALIS_RETURN_IF_ERROR(f.seconds("min_duration", &p->min_duration_ms));
  BOREALIS_RETURN_IF_ERROR(f.boolean("final", &p->final));
  if (const Value* logger = f.get("logger"))
    BOREALIS_RETURN_IF_ERROR(parse_logger(*logger, f.path("logger"), &p->log));
  return Status();
}

Status parse_task(const Value& v, TaskSpec* t) {
  if (v.type != Value::Type::kObject)
    return invalid_argument("task: expected an object, found " +
                            std::string(json::type_name(v.type)));
  Fields f(v, "task");
  BOREALIS_RETURN_IF_ERROR(f.str("name", &t->name));
  BOREALIS_ASSIGN_OR_RETURN(const Value* procs, f.array("processes", true));
  for (size_t i = 0; i < procs->array.size(); ++i) {
    ProcessSpec p;
    BOREALIS_RETURN_IF_ERROR(parse_process(procs->array[i], index_path("task.processes", i), &p));
    t->processes.push_back(std::move(p));
  }
  BOREALIS_ASSIGN_OR_RETURN(const Value* constraints, f.array("constraints"));
  if (constraints) {
    for (size_t i = 0; i < constraints->array.size(); ++i) {
      const Value& c = constraints->array[i];
      std::string cpath = index_path("task.constraints", i);
      if (c.type != Value::Type::kObject) return invalid_argument(cpath + ": expected an object");
      Fields cf(c, cpath);
      BOREALIS_ASSIGN_OR_RETURN(const Value* order, cf.array("order"));
      if (!order) continue;
      std::vector<std::string> names;
      for (size_t k = 0; k < order->array.size(); ++k) {
        if (order->array[k].type != Value::Type::kString)
          return invalid_argument(index_path(cpath + ".order", k) + ": expected a string");
        names.push_back(order->array[k].string);
      }
      t->orders.push_back(std::move(names));
    }
  }
  BOREALIS_RETURN_IF_ERROR(f.integer("max_failures", &t->max_failures, 0, kMaxCount));
  BOREALIS_RETURN_IF_ERROR(f.integer("max_concurrency", &t->max_concurrency, 0, kMaxCount));
  BOREALIS_RETURN_IF_ERROR(f.seconds("finalization_wait", &t->finalization_wait_ms));
  return Status();
}

}  // namespace

Result<LaunchSpec> parse_launch_spec(std::string_view json_text) {
  auto doc = json::parse(json_text);
  if (!doc.ok()) return doc.status();
  if (doc->type != Value::Type::kObject)
    return invalid_argument("expected an object at the top level");
  LaunchSpec spec;
  Fields f(*doc, "");
  BOREALIS_RETURN_IF_ERROR(f.str("task_id", &spec.task_id, true));
  BOREALIS_RETURN_IF_ERROR(f.integer("instance", &spec.instance, 0, kMaxCount));
  BOREALIS_RETURN_IF_ERROR(f.str("hostname", &spec.hostname));
  BOREALIS_RETURN_IF_ERROR(f.str("cluster", &spec.cluster));
  BOREALIS_RETURN_IF_ERROR(f.str("role", &spec.role));
  BOREALIS_RETURN_IF_ERROR(f.str("environment", &spec.environment));
  BOREALIS_RETURN_IF_ERROR(f.str("job", &spec.job));
  BOREALIS_RETURN_IF_ERROR(f.str("user", &spec.user));
  if (const Value* ports = f.get("ports")) {
    if (ports->type != Value::Type::kObject) return f.wrong_type("ports", *ports, "an object");
    Fields pf(*ports, "ports");
    for (const auto& [name, _] : ports->object) {
      int64_t port = -1;
      BOREALIS_RETURN_IF_ERROR(pf.integer(name, &port, 0, 65535));
      spec.ports[name] = port;
    }
  }
  const Value* task = f.get("task");
  if (!task) return f.error("task", "is required");
  BOREALIS_RETURN_IF_ERROR(parse_task(*task, &spec.task));
  return spec;
}

Status validate_task(const TaskSpec& task) {
  std::vector<ProcessView> processes;
  processes.reserve(task.processes.size());
  for (const ProcessSpec& p : task.processes)
    processes.push_back(ProcessView{p.name, p.daemon, p.ephemeral, p.final});
  std::vector<OrderView> orders(task.orders.begin(), task.orders.end());
  return check_processes(processes, orders);
}

}  // namespace borealis::taskcontract
