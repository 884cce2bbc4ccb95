#include "protocol/messages.h"

#include "api/field_table.h"

namespace borealis::protocol {

namespace {

json::array reports_json(const std::vector<TaskReport>& tasks) {
  json::array out;
  for (const auto& t : tasks) out.push_back(encode(t));
  return out;
}

// `tasks` of register and poll requests; strict, like the requests.
Status read_reports(FieldReader& r, std::vector<TaskReport>* out) {
  return api::read_list(r, "tasks", out, read_task_report, false, true);
}

Status read_resources(FieldReader& r, HostResources* out) {
  return r.object(
      "resources",
      [&](FieldReader& res) {
        BOREALIS_RETURN_IF_ERROR(res.get("cpu", &out->cpu, true));
        BOREALIS_RETURN_IF_ERROR(res.get("ram", &out->ram, true));
        BOREALIS_RETURN_IF_ERROR(res.get("disk", &out->disk, true));
        BOREALIS_RETURN_IF_ERROR(res.get("gpu", &out->gpu));
        // The scheduler turns cpu into millicores and sums hosts: bounded, nothing overflows.
        if (!(out->cpu >= 0 && out->cpu <= kMaxHostCpu))
          return res.error("cpu", "must be between 0 and " + std::to_string(kMaxHostCpu) +
                                      " cores, got " + json::serialize(json::value(out->cpu)));
        BOREALIS_RETURN_IF_ERROR(api::check_range(res, "ram", out->ram, 0, kMaxHostBytes));
        BOREALIS_RETURN_IF_ERROR(api::check_range(res, "disk", out->disk, 0, kMaxHostBytes));
        return api::check_range(res, "gpu", out->gpu, 0, kMaxHostGpus);
      },
      true);
}

// Sizes of what an agent says about itself; its port ranges and attributes are kept and
// shown for as long as it is registered.
constexpr size_t kMaxHostTextBytes = 1024;  // hostname, address, attribute names and values
constexpr size_t kMaxHostEntries = 1000;    // attributes, port ranges

Status bounded_text(FieldReader& r, std::string_view key, std::string_view value) {
  if (value.size() <= kMaxHostTextBytes) return Status();
  return r.error(key, std::to_string(value.size()) + " bytes, more than the limit of " +
                          std::to_string(kMaxHostTextBytes));
}

Status bounded_entries(FieldReader& r, std::string_view key, size_t n) {
  if (n <= kMaxHostEntries) return Status();
  return r.error(key, std::to_string(n) + " entries, more than the limit of " +
                          std::to_string(kMaxHostEntries));
}

Status check_host_text(FieldReader& r, const RegisterRequest& reg) {
  BOREALIS_RETURN_IF_ERROR(bounded_text(r, "agent_id", reg.agent_id));
  BOREALIS_RETURN_IF_ERROR(bounded_text(r, "hostname", reg.hostname));
  BOREALIS_RETURN_IF_ERROR(bounded_text(r, "address", reg.address));
  BOREALIS_RETURN_IF_ERROR(bounded_entries(r, "ports", reg.ports.size()));
  BOREALIS_RETURN_IF_ERROR(bounded_entries(r, "attributes", reg.attributes.size()));
  for (const auto& [name, value] : reg.attributes) {
    BOREALIS_RETURN_IF_ERROR(bounded_text(r, "attributes", name));
    BOREALIS_RETURN_IF_ERROR(bounded_text(r, "attributes." + name, value));
  }
  return Status();
}

Status read_port_ranges(FieldReader& r, std::vector<PortRange>* out) {
  const json::value* ports = r.raw("ports");
  if (!ports) return Status();
  if (!ports->is_array()) return r.error("ports", "expected a list of [lo, hi]");
  for (const auto& p : ports->get_array()) {
    if (!p.is_array() || p.get_array().size() != 2 || !p.get_array()[0].is_int64() ||
        !p.get_array()[1].is_int64())
      return r.error("ports", "expected a list of [lo, hi]");
    int64_t lo = p.get_array()[0].get_int64(), hi = p.get_array()[1].get_int64();
    if (lo < 1 || hi > 65535 || lo > hi)
      return r.error("ports", "bad range " + std::to_string(lo) + "-" + std::to_string(hi));
    out->push_back({static_cast<int>(lo), static_cast<int>(hi)});
  }
  return Status();
}

Status read_launch(FieldReader& r, Command* c) {
  c->launch.task_id = c->task_id;
  BOREALIS_RETURN_IF_ERROR(r.get("instance", &c->launch.instance));
  BOREALIS_RETURN_IF_ERROR(r.get("config_id", &c->launch.config_id, true));
  const json::value* ports = r.raw("ports");
  if (!ports) return Status();
  if (!ports->is_object()) return r.error("ports", "expected an object");
  for (const auto& kv : ports->get_object()) {
    const auto& p = kv.value();
    int64_t port = p.is_int64() ? p.get_int64() : -1;
    if (port < 1 || port > 65535)
      return r.error("ports", "port '" + std::string(kv.key()) + "' is not a port number");
    c->launch.ports[std::string(kv.key())] = port;
  }
  return Status();
}

Status read_command(FieldReader& c, Command* cmd) {
  BOREALIS_RETURN_IF_ERROR(c.get("seq", &cmd->seq, true));
  BOREALIS_RETURN_IF_ERROR(c.get("type", &cmd->type, true));
  if (cmd->type == "launch" || cmd->type == "kill")
    BOREALIS_RETURN_IF_ERROR(c.get("task_id", &cmd->task_id, true));
  if (cmd->type == "launch") return read_launch(c, cmd);
  if (cmd->type == "kill") return c.get("reason", &cmd->reason);
  return Status();
}

json::array commands_json(const std::vector<Command>& commands) {
  json::array out;
  for (const Command& c : commands) {
    json::object o{{"seq", c.seq}, {"type", c.type}};
    if (c.type == "launch" || !c.task_id.empty()) o["task_id"] = c.task_id;
    if (c.type == "kill") o["reason"] = c.reason;
    if (c.type == "launch") {
      o["instance"] = c.launch.instance;
      o["config_id"] = c.launch.config_id;
      o["ports"] = api::int_map_json(c.launch.ports);
    }
    out.push_back(std::move(o));
  }
  return out;
}

const api::FieldTable<RegisterAnswer> kRegisterAnswerFields = {
    {"agent_id", &RegisterAnswer::agent_id, api::Presence::kRequired},
    {"poll_timeout_ms", &RegisterAnswer::poll_timeout_ms},
    {"agent_timeout_ms", &RegisterAnswer::agent_timeout_ms}};

const api::FieldTable<UpdatesAnswer> kUpdatesAnswerFields = {
    {"acked_seq", &UpdatesAnswer::acked_seq, api::Presence::kRequired},
    {"kill", &UpdatesAnswer::kill}};

const api::FieldTable<RejectedUpdate> kRejectedFields = {
    {"seq", &RejectedUpdate::seq, api::Presence::kRequired}, {"error", &RejectedUpdate::error}};

Status read_rejected(FieldReader& r, RejectedUpdate* out) {
  return api::read_fields(r, out, kRejectedFields);
}

Status read_dropped_seqs(FieldReader& r, std::vector<int64_t>* out) {
  const json::value* v = r.raw("dropped_seqs");
  if (!v) return Status();
  if (!v->is_array()) return r.error("dropped_seqs", "expected a list of seqs");
  if (v->get_array().size() > kMaxDroppedSeqs)
    return r.error("dropped_seqs", std::to_string(v->get_array().size()) +
                                       " seqs, more than the limit of " +
                                       std::to_string(kMaxDroppedSeqs));
  for (const auto& seq : v->get_array()) {
    if (!seq.is_int64()) return r.error("dropped_seqs", "expected a list of seqs");
    out->push_back(seq.get_int64());
  }
  return Status();
}

}  // namespace

json::object encode(const RegisterRequest& r) {
  json::array ports;
  for (const auto& p : r.ports) ports.push_back(json::array{p.lo, p.hi});
  json::object resources{
      {"cpu", r.resources.cpu}, {"ram", r.resources.ram}, {"disk", r.resources.disk}};
  if (r.resources.gpu != 0) resources["gpu"] = r.resources.gpu;
  return json::object{
      {"agent_id", r.agent_id},        {"hostname", r.hostname},
      {"address", r.address},          {"resources", std::move(resources)},
      {"ports", std::move(ports)},     {"attributes", json_string_map(r.attributes)},
      {"tasks", reports_json(r.tasks)}};
}

json::object encode(const RegisterAnswer& a) {
  return api::encode_fields(a, kRegisterAnswerFields);
}

json::object encode(const PollRequest& r) {
  json::object o{{"agent_id", r.agent_id}, {"acked_command_seq", r.acked_command_seq}};
  if (r.tasks) o["tasks"] = reports_json(*r.tasks);
  return o;
}

json::object encode(const PollAnswer& a) {
  json::object configs;
  for (const auto& [id, spec] : a.configs) configs[id] = spec;
  return json::object{{"commands", commands_json(a.commands)}, {"configs", std::move(configs)}};
}

std::string poll_answer_body(const std::vector<Command>& commands,
                             const std::vector<std::pair<std::string, std::string_view>>& configs) {
  std::string body = "{\"commands\":" + json::serialize(commands_json(commands)) + ",\"configs\":{";
  for (size_t i = 0; i < configs.size(); ++i) {
    if (i) body += ',';
    append_json_string(body, configs[i].first);
    body += ':';
    body += configs[i].second;
  }
  body += "}}";
  return body;
}

json::object encode(const UpdatesRequest& r) {
  json::array list;
  for (const auto& u : r.updates) list.push_back(encode(u));
  json::object o{{"agent_id", r.agent_id}, {"updates", std::move(list)}};
  if (!r.dropped_seqs.empty())
    o["dropped_seqs"] = json::array(r.dropped_seqs.begin(), r.dropped_seqs.end());
  return o;
}

json::object encode(const UpdatesAnswer& a) {
  json::object o = api::encode_fields(a, kUpdatesAnswerFields);
  if (!a.rejected.empty()) {
    json::array rejected;
    for (const auto& u : a.rejected) rejected.push_back(api::encode_fields(u, kRejectedFields));
    o["rejected"] = std::move(rejected);
  }
  return o;
}

Result<ReceivedUpdates> decode_received_updates(const json::value& v) {
  auto read = [](FieldReader& r, ReceivedUpdates* out) {
    BOREALIS_RETURN_IF_ERROR(r.get("agent_id", &out->request.agent_id, true));
    BOREALIS_RETURN_IF_ERROR(read_dropped_seqs(r, &out->request.dropped_seqs));
    return api::each_object(
        r, "updates",
        [&](FieldReader& item) {
          StatusUpdate u;
          Status st = read_status_update(item, &u);
          if (st.ok()) st = item.finish();
          if (st.ok()) {
            out->request.updates.push_back(std::move(u));
            return Status();
          }
          // Without its seq the update cannot be acknowledged alone: refuse the batch.
          int64_t seq = 0;
          if (!item.has("seq") || !item.get("seq", &seq).ok()) return st;
          out->rejected.push_back({seq, st.message()});
          return Status();
        },
        true);
  };
  return api::read_message<ReceivedUpdates>(v, "updates request", read, true);
}

}  // namespace borealis::protocol

namespace borealis::api {

using namespace protocol;

template <>
Result<RegisterRequest> decode<RegisterRequest>(const json::value& v) {
  auto read = [](FieldReader& r, RegisterRequest* reg) {
    BOREALIS_RETURN_IF_ERROR(r.get("agent_id", &reg->agent_id));
    BOREALIS_RETURN_IF_ERROR(r.get("hostname", &reg->hostname, true));
    BOREALIS_RETURN_IF_ERROR(r.get("address", &reg->address));
    BOREALIS_RETURN_IF_ERROR(r.get("attributes", &reg->attributes));
    BOREALIS_RETURN_IF_ERROR(read_resources(r, &reg->resources));
    BOREALIS_RETURN_IF_ERROR(read_port_ranges(r, &reg->ports));
    BOREALIS_RETURN_IF_ERROR(check_host_text(r, *reg));
    return read_reports(r, &reg->tasks);
  };
  return read_message<RegisterRequest>(v, "register request", read, true);
}

template <>
Result<RegisterAnswer> decode<RegisterAnswer>(const json::value& v) {
  auto read = [](FieldReader& r, RegisterAnswer* a) {
    BOREALIS_RETURN_IF_ERROR(read_fields(r, a, kRegisterAnswerFields));
    if (a->agent_id.empty()) return r.error("agent_id", "must not be empty");
    if (a->poll_timeout_ms < 0) return r.error("poll_timeout_ms", "must not be negative");
    return Status();
  };
  return read_message<RegisterAnswer>(v, "register answer", read, false, "register answer");
}

template <>
Result<PollRequest> decode<PollRequest>(const json::value& v) {
  auto read = [](FieldReader& r, PollRequest* p) {
    BOREALIS_RETURN_IF_ERROR(r.get("agent_id", &p->agent_id, true));
    BOREALIS_RETURN_IF_ERROR(r.get("acked_command_seq", &p->acked_command_seq));
    if (r.has("tasks")) return read_reports(r, &p->tasks.emplace());
    r.ignore("tasks");  // null
    return Status();
  };
  return read_message<PollRequest>(v, "poll request", read, true);
}

template <>
Result<PollAnswer> decode<PollAnswer>(const json::value& v) {
  auto read = [](FieldReader& r, PollAnswer* a) {
    BOREALIS_RETURN_IF_ERROR(read_list(r, "commands", &a->commands, read_command, false));
    const json::value* configs = r.raw("configs");
    if (!configs) return Status();
    if (!configs->is_object()) return r.error("configs", "expected an object");
    for (const auto& kv : configs->get_object()) a->configs[std::string(kv.key())] = kv.value();
    return Status();
  };
  return read_message<PollAnswer>(v, "poll answer", read, false, "poll answer");
}

template <>
Result<UpdatesRequest> decode<UpdatesRequest>(const json::value& v) {
  auto read = [](FieldReader& r, UpdatesRequest* u) {
    BOREALIS_RETURN_IF_ERROR(r.get("agent_id", &u->agent_id, true));
    BOREALIS_RETURN_IF_ERROR(read_dropped_seqs(r, &u->dropped_seqs));
    return read_list(r, "updates", &u->updates, read_status_update, true, true);
  };
  return read_message<UpdatesRequest>(v, "updates request", read, true);
}

template <>
Result<UpdatesAnswer> decode<UpdatesAnswer>(const json::value& v) {
  auto read = [](FieldReader& r, UpdatesAnswer* a) {
    BOREALIS_RETURN_IF_ERROR(read_fields(r, a, kUpdatesAnswerFields));
    return read_list(r, "rejected", &a->rejected, read_rejected, false);
  };
  return read_message<UpdatesAnswer>(v, "updates answer", read, false, "updates answer");
}

}  // namespace borealis::api
