#include "agent/protocol.h"

namespace borealis::agent {

namespace {

json::array reports_json(const std::vector<TaskReport>& tasks) {
  json::array out;
  for (const auto& t : tasks)
    out.push_back(json::object{{"task_id", t.task_id}, {"state", task_state_name(t.state)}});
  return out;
}

Result<json::object> parse_object(std::string_view body, std::string_view what) {
  auto v = parse_json(body);
  if (!v.ok()) return v.status().with_context(what);
  if (!v->is_object()) return invalid_argument(std::string(what) + ": expected an object");
  return std::move(v->get_object());
}

Status read_launch(FieldReader& r, Command* c) {
  c->launch.task_id = c->task_id;
  BOREALIS_RETURN_IF_ERROR(r.get("instance", &c->launch.instance));
  BOREALIS_RETURN_IF_ERROR(r.get("config_id", &c->launch.config_id, true));
  if (const json::value* ports = r.raw("ports")) {
    if (!ports->is_object()) return r.error("ports", "expected an object");
    for (const auto& kv : ports->get_object()) {
      const auto& p = kv.value();
      int64_t port = p.is_int64() ? p.get_int64() : p.is_uint64() ? 0 : -1;
      if (port < 1 || port > 65535)
        return r.error("ports", "port '" + std::string(kv.key()) + "' is not a port number");
      c->launch.ports[std::string(kv.key())] = port;
    }
  }
  return Status();
}

}  // namespace

std::string register_request_json(const RegisterRequest& r) {
  json::array ports;
  for (const auto& p : r.ports) ports.push_back(json::array{p.lo, p.hi});
  json::object o{{"agent_id", r.agent_id},
                 {"hostname", r.hostname},
                 {"address", r.address},
                 {"resources", json::object{{"cpu", r.resources.cpu},
                                            {"ram", r.resources.ram},
                                            {"disk", r.resources.disk}}},
                 {"ports", std::move(ports)},
                 {"attributes", json_string_map(r.attributes)},
                 {"tasks", reports_json(r.tasks)}};
  return to_json(o);
}

Result<RegisterAnswer> parse_register_answer(std::string_view body) {
  BOREALIS_ASSIGN_OR_RETURN(json::object o, parse_object(body, "register answer"));
  FieldReader r(o, "register answer");
  RegisterAnswer a;
  BOREALIS_RETURN_IF_ERROR(r.get("agent_id", &a.agent_id, true));
  BOREALIS_RETURN_IF_ERROR(r.get("poll_timeout_ms", &a.poll_timeout_ms));
  BOREALIS_RETURN_IF_ERROR(r.get("agent_timeout_ms", &a.agent_timeout_ms));
  if (a.agent_id.empty()) return r.error("agent_id", "must not be empty");
  if (a.poll_timeout_ms < 0) return r.error("poll_timeout_ms", "must not be negative");
  return a;
}

std::string poll_request_json(const std::string& agent_id, int64_t acked_command_seq,
                              const std::vector<TaskReport>* tasks) {
  json::object o{{"agent_id", agent_id}, {"acked_command_seq", acked_command_seq}};
  if (tasks) o["tasks"] = reports_json(*tasks);
  return to_json(o);
}

Result<PollAnswer> parse_poll_answer(std::string_view body) {
  BOREALIS_ASSIGN_OR_RETURN(json::object o, parse_object(body, "poll answer"));
  FieldReader r(o, "poll answer");
  PollAnswer a;
  // Read by hand, not with array_of_objects: commands may carry fields a newer scheduler
  // added, and those must not be errors.
  if (const json::value* cmds = r.raw("commands")) {
    if (!cmds->is_array()) return r.error("commands", "expected a list");
    for (size_t i = 0; i < cmds->get_array().size(); ++i) {
      const json::value& item = cmds->get_array()[i];
      std::string path = r.field_path("commands") + "[" + std::to_string(i) + "]";
      if (!item.is_object()) return invalid_argument(path + ": expected an object");
      FieldReader c(item.get_object(), path);
      Command cmd;
      BOREALIS_RETURN_IF_ERROR(c.get("seq", &cmd.seq, true));
      BOREALIS_RETURN_IF_ERROR(c.get("type", &cmd.type, true));
      if (cmd.type == "launch" || cmd.type == "kill")
        BOREALIS_RETURN_IF_ERROR(c.get("task_id", &cmd.task_id, true));
      if (cmd.type == "launch") BOREALIS_RETURN_IF_ERROR(read_launch(c, &cmd));
      if (cmd.type == "kill") BOREALIS_RETURN_IF_ERROR(c.get("reason", &cmd.reason));
      a.commands.push_back(std::move(cmd));
    }
  }
  if (const json::value* configs = r.raw("configs")) {
    if (!configs->is_object()) return r.error("configs", "expected an object");
    for (const auto& kv : configs->get_object()) a.configs[std::string(kv.key())] = kv.value();
  }
  return a;
}

std::string updates_request_json(const std::string& agent_id,
                                 const std::vector<StatusUpdate>& updates) {
  json::array list;
  for (const auto& u : updates) list.push_back(update_to_json(u));
  return to_json(json::object{{"agent_id", agent_id}, {"updates", std::move(list)}});
}

Result<UpdatesAnswer> parse_updates_answer(std::string_view body) {
  BOREALIS_ASSIGN_OR_RETURN(json::object o, parse_object(body, "updates answer"));
  FieldReader r(o, "updates answer");
  UpdatesAnswer a;
  BOREALIS_RETURN_IF_ERROR(r.get("acked_seq", &a.acked_seq, true));
  BOREALIS_RETURN_IF_ERROR(r.get("kill", &a.kill));
  return a;
}

std::string error_code(std::string_view body) {
  auto v = parse_json(body);
  if (!v.ok() || !v->is_object()) return "";
  const auto* err = v->get_object().if_contains("error");
  if (!err || !err->is_object()) return "";
  const auto* code = err->get_object().if_contains("code");
  return code && code->is_string() ? std::string(code->get_string()) : "";
}

}  // namespace borealis::agent
