#include "jobspec/job_spec_json.h"

#include <functional>

namespace borealis::jobspec {

namespace {

using Reader = FieldReader;

Status read_resources(Reader& r, Resources* out) {
  BOREALIS_RETURN_IF_ERROR(r.get("cpu", &out->cpu, true));
  BOREALIS_RETURN_IF_ERROR(r.get("ram", &out->ram, true));
  BOREALIS_RETURN_IF_ERROR(r.get("disk", &out->disk, true));
  return r.get("gpu", &out->gpu);
}

Status read_logger(Reader& r, Logger* out) {
  BOREALIS_RETURN_IF_ERROR(r.get("destination", &out->destination));
  BOREALIS_RETURN_IF_ERROR(r.get("mode", &out->mode));
  return r.object("rotate", [&](Reader& rr) {
    out->rotate.emplace();
    BOREALIS_RETURN_IF_ERROR(rr.get("log_size", &out->rotate->log_size));
    return rr.get("backups", &out->rotate->backups);
  });
}

Status read_process(Reader& r, Process* p) {
  BOREALIS_RETURN_IF_ERROR(r.get("name", &p->name, true));
  BOREALIS_RETURN_IF_ERROR(r.get("cmdline", &p->cmdline, true));
  BOREALIS_RETURN_IF_ERROR(r.get("max_failures", &p->max_failures));
  BOREALIS_RETURN_IF_ERROR(r.get("daemon", &p->daemon));
  BOREALIS_RETURN_IF_ERROR(r.get("ephemeral", &p->ephemeral));
  BOREALIS_RETURN_IF_ERROR(r.get("min_duration", &p->min_duration));
  BOREALIS_RETURN_IF_ERROR(r.get("final", &p->final));
  BOREALIS_RETURN_IF_ERROR(r.object("logger", [&](Reader& lr) {
    p->logger.emplace();
    return read_logger(lr, &*p->logger);
  }));
  return r.object("resources", [&](Reader& rr) {
    p->resources.emplace();
    return read_resources(rr, &*p->resources);
  });
}

Status read_task(Reader& r, Task* t) {
  BOREALIS_RETURN_IF_ERROR(r.get("name", &t->name));
  BOREALIS_RETURN_IF_ERROR(r.array_of_objects("processes", [&](Reader& pr, size_t) {
    t->processes.emplace_back();
    return read_process(pr, &t->processes.back());
  }));
  BOREALIS_RETURN_IF_ERROR(r.array_of_objects("constraints", [&](Reader& cr, size_t) {
    t->constraints.emplace_back();
    return cr.get("order", &t->constraints.back().order);
  }));
  BOREALIS_RETURN_IF_ERROR(r.object("resources", [&](Reader& rr) {
    t->resources.emplace();
    return read_resources(rr, &*t->resources);
  }));
  BOREALIS_RETURN_IF_ERROR(r.get("max_failures", &t->max_failures));
  BOREALIS_RETURN_IF_ERROR(r.get("max_concurrency", &t->max_concurrency));
  BOREALIS_RETURN_IF_ERROR(r.get("finalization_wait", &t->finalization_wait));
  std::string user;
  if (r.has("user")) {
    BOREALIS_RETURN_IF_ERROR(r.get("user", &user));
    t->user = user;
  }
  BOREALIS_RETURN_IF_ERROR(r.array_of_objects("artifacts", [&](Reader& ar, size_t) {
    Artifact& a = t->artifacts.emplace_back();
    BOREALIS_RETURN_IF_ERROR(ar.get("uri", &a.uri, true));
    BOREALIS_RETURN_IF_ERROR(ar.get("sha256", &a.sha256, true));
    return ar.get("name", &a.name);
  }));
  // Aurora's default name, also when a raw (uninterpolated) dump carries the template.
  if ((t->name.empty() || t->name == "{{processes[0].name}}") && !t->processes.empty())
    t->name = t->processes[0].name;
  return Status();
}

// Aurora serialises its update-strategy Choice without a tag: the fields tell which.
Status read_update_strategy(Reader& r, UpdateConfig* u) {
  const json::value* v = r.raw("update_strategy");
  if (!v) return Status();
  if (!v->is_object()) return r.error("update_strategy", "expected an object");
  const auto& o = v->get_object();
  FieldReader sr(o, r.field_path("update_strategy"));
  if (o.contains("batch_sizes")) {
    VariableBatchUpdateStrategy s;
    std::vector<int64_t> sizes;
    const json::value* arr = sr.raw("batch_sizes");
    if (!arr || !arr->is_array()) return sr.error("batch_sizes", "expected a list of integers");
    for (const auto& e : arr->get_array()) {
      if (!e.is_int64() && !e.is_uint64())
        return sr.error("batch_sizes", "expected a list of integers");
      sizes.push_back(e.to_number<int64_t>());
    }
    s.batch_sizes = std::move(sizes);
    BOREALIS_RETURN_IF_ERROR(sr.get("autopause_after_batch", &s.autopause_after_batch));
    u->variable_batch_strategy = s;
  } else if (o.contains("autopause_after_batch")) {
    BatchUpdateStrategy s;
    BOREALIS_RETURN_IF_ERROR(sr.get("batch_size", &s.batch_size));
    BOREALIS_RETURN_IF_ERROR(sr.get("autopause_after_batch", &s.autopause_after_batch));
    u->batch_strategy = s;
  } else {
    QueueUpdateStrategy s;
    BOREALIS_RETURN_IF_ERROR(sr.get("batch_size", &s.batch_size));
    u->queue_strategy = s;
  }
  return sr.finish();
}

Status read_update_config(Reader& r, UpdateConfig* u) {
  BOREALIS_RETURN_IF_ERROR(r.get("batch_size", &u->batch_size));
  BOREALIS_RETURN_IF_ERROR(r.get("watch_secs", &u->watch_secs));
  BOREALIS_RETURN_IF_ERROR(r.get("max_per_shard_failures", &u->max_per_shard_failures));
  BOREALIS_RETURN_IF_ERROR(r.get("max_total_failures", &u->max_total_failures));
  BOREALIS_RETURN_IF_ERROR(r.get("rollback_on_failure", &u->rollback_on_failure));
  BOREALIS_RETURN_IF_ERROR(r.get("wait_for_batch_completion", &u->wait_for_batch_completion));
  if (r.has("pulse_interval_secs")) {
    int64_t p = 0;
    BOREALIS_RETURN_IF_ERROR(r.get("pulse_interval_secs", &p));
    u->pulse_interval_secs = p;
  }
  BOREALIS_RETURN_IF_ERROR(r.get("sla_aware", &u->sla_aware));
  return read_update_strategy(r, u);
}

Status read_health_check(Reader& r, HealthCheckConfig* h) {
  BOREALIS_RETURN_IF_ERROR(r.object("health_checker", [&](Reader& hr) {
    h->health_checker = HealthCheckerConfig{};
    BOREALIS_RETURN_IF_ERROR(hr.object("http", [&](Reader& x) {
      h->health_checker.http.emplace();
      auto& c = *h->health_checker.http;
      BOREALIS_RETURN_IF_ERROR(x.get("endpoint", &c.endpoint));
      BOREALIS_RETURN_IF_ERROR(x.get("expected_response", &c.expected_response));
      return x.get("expected_response_code", &c.expected_response_code);
    }));
    return hr.object("shell", [&](Reader& x) {
      h->health_checker.shell.emplace();
      return x.get("shell_command", &h->health_checker.shell->shell_command, true);
    });
  }));
  BOREALIS_RETURN_IF_ERROR(r.get("initial_interval_secs", &h->initial_interval_secs));
  BOREALIS_RETURN_IF_ERROR(r.get("interval_secs", &h->interval_secs));
  BOREALIS_RETURN_IF_ERROR(r.get("max_consecutive_failures", &h->max_consecutive_failures));
  BOREALIS_RETURN_IF_ERROR(r.get("min_consecutive_successes", &h->min_consecutive_successes));
  return r.get("timeout_secs", &h->timeout_secs);
}

Status read_lifecycle(Reader& r, LifecycleConfig* l) {
  l->http.reset();
  return r.object("http", [&](Reader& x) {
    l->http.emplace();
    auto& c = *l->http;
    BOREALIS_RETURN_IF_ERROR(x.get("port", &c.port));
    BOREALIS_RETURN_IF_ERROR(x.get("graceful_shutdown_endpoint", &c.graceful_shutdown_endpoint));
    BOREALIS_RETURN_IF_ERROR(x.get("shutdown_endpoint", &c.shutdown_endpoint));
    BOREALIS_RETURN_IF_ERROR(x.get("graceful_shutdown_wait_secs", &c.graceful_shutdown_wait_secs));
    return x.get("shutdown_wait_secs", &c.shutdown_wait_secs);
  });
}

Status read_announce(Reader& r, Announcer* a) {
  BOREALIS_RETURN_IF_ERROR(r.get("primary_port", &a->primary_port));
  BOREALIS_RETURN_IF_ERROR(r.get("portmap", &a->portmap));
  if (r.has("zk_path")) {
    std::string p;
    BOREALIS_RETURN_IF_ERROR(r.get("zk_path", &p));
    a->zk_path = p;
  }
  // The default portmap refers to the announcer's own field.
  for (auto& [k, v] : a->portmap)
    if (v == "{{primary_port}}") v = a->primary_port;
  return Status();
}

Status read_sla_policy(Reader& r, SlaPolicy* s) {
  if (r.has("coordinator_url")) {
    s->kind = SlaPolicy::Kind::kCoordinator;
    BOREALIS_RETURN_IF_ERROR(r.get("coordinator_url", &s->coordinator_url, true));
    return r.get("status_key", &s->status_key);
  }
  if (r.has("percentage")) {
    s->kind = SlaPolicy::Kind::kPercentage;
    BOREALIS_RETURN_IF_ERROR(r.get("percentage", &s->percentage, true));
  } else {
    s->kind = SlaPolicy::Kind::kCount;
    BOREALIS_RETURN_IF_ERROR(r.get("count", &s->count, true));
  }
  return r.get("duration_secs", &s->duration_secs, true);
}

Status read_docker(Reader& r, ContainerSpec* c) {
  BOREALIS_RETURN_IF_ERROR(r.get("image", &c->docker_image, true));
  return r.array_of_objects("parameters", [&](Reader& pr, size_t) {
    c->docker_parameters.emplace_back();
    BOREALIS_RETURN_IF_ERROR(pr.get("name", &c->docker_parameters.back().name, true));
    return pr.get("value", &c->docker_parameters.back().value, true);
  });
}

// container: Container{docker}, Docker{image, parameters} or Mesos{image, volumes}.
Status read_container(Reader& r, ContainerSpec* c) {
  if (r.has("docker")) {
    c->kind = ContainerSpec::Kind::kContainerDocker;
    return r.object("docker", [&](Reader& d) { return read_docker(d, c); });
  }
  const json::value* image = r.has("image") ? r.raw("image") : nullptr;
  if (image && image->is_string()) {
    c->kind = ContainerSpec::Kind::kDocker;
    c->docker_image = std::string(image->get_string());
    return r.array_of_objects("parameters", [&](Reader& pr, size_t) {
      c->docker_parameters.emplace_back();
      BOREALIS_RETURN_IF_ERROR(pr.get("name", &c->docker_parameters.back().name, true));
      return pr.get("value", &c->docker_parameters.back().value, true);
    });
  }
  c->kind = ContainerSpec::Kind::kMesos;
  BOREALIS_RETURN_IF_ERROR(r.object("image", [&](Reader& ir) {
    BOREALIS_RETURN_IF_ERROR(ir.get("name", &c->image_name, true));
    if (ir.has("image_id")) {
      c->image_kind = ContainerSpec::ImageKind::kAppc;
      return ir.get("image_id", &c->image_id, true);
    }
    c->image_kind = ContainerSpec::ImageKind::kDocker;
    return ir.get("tag", &c->image_tag, true);
  }));
  return r.array_of_objects("volumes", [&](Reader& vr, size_t) {
    c->volumes.emplace_back();
    auto& v = c->volumes.back();
    BOREALIS_RETURN_IF_ERROR(vr.get("container_path", &v.container_path, true));
    BOREALIS_RETURN_IF_ERROR(vr.get("host_path", &v.host_path, true));
    return vr.get("mode", &v.mode, true);
  });
}

Status read_optional_string(Reader& r, std::string_view key, std::optional<std::string>* out) {
  if (!r.has(key)) {
    r.ignore(key);
    return Status();
  }
  std::string s;
  BOREALIS_RETURN_IF_ERROR(r.get(key, &s));
  *out = std::move(s);
  return Status();
}

Status read_optional_map(Reader& r, std::string_view key,
                         std::optional<std::map<std::string, std::string>>* out) {
  if (!r.has(key)) {
    r.ignore(key);
    return Status();
  }
  std::map<std::string, std::string> m;
  BOREALIS_RETURN_IF_ERROR(r.get(key, &m));
  *out = std::move(m);
  return Status();
}

Status read_job(Reader& r, JobSpec* j) {
  BOREALIS_RETURN_IF_ERROR(r.get("name", &j->name));
  BOREALIS_RETURN_IF_ERROR(r.get("role", &j->role, true));
  BOREALIS_RETURN_IF_ERROR(r.get("environment", &j->environment, true));
  BOREALIS_RETURN_IF_ERROR(r.get("cluster", &j->cluster, true));
  BOREALIS_RETURN_IF_ERROR(read_optional_string(r, "contact", &j->contact));
  BOREALIS_RETURN_IF_ERROR(r.get("instances", &j->instances));
  BOREALIS_RETURN_IF_ERROR(r.object(
      "task", [&](Reader& t) { return read_task(t, &j->task); }, true));
  BOREALIS_RETURN_IF_ERROR(r.object("announce", [&](Reader& a) {
    j->announce.emplace();
    return read_announce(a, &*j->announce);
  }));
  BOREALIS_RETURN_IF_ERROR(read_optional_string(r, "tier", &j->tier));
  BOREALIS_RETURN_IF_ERROR(read_optional_string(r, "cron_schedule", &j->cron_schedule));
  BOREALIS_RETURN_IF_ERROR(r.get("cron_collision_policy", &j->cron_collision_policy));
  BOREALIS_RETURN_IF_ERROR(r.object(
      "update_config", [&](Reader& u) { return read_update_config(u, &j->update_config); }));
  BOREALIS_RETURN_IF_ERROR(read_optional_map(r, "constraints", &j->constraints));
  BOREALIS_RETURN_IF_ERROR(r.array_of_objects("metadata", [&](Reader& m, size_t) {
    j->metadata.emplace_back();
    BOREALIS_RETURN_IF_ERROR(m.get("key", &j->metadata.back().key, true));
    return m.get("value", &j->metadata.back().value, true);
  }));
  BOREALIS_RETURN_IF_ERROR(r.get("service", &j->service));
  BOREALIS_RETURN_IF_ERROR(r.get("max_task_failures", &j->max_task_failures));
  BOREALIS_RETURN_IF_ERROR(r.get("production", &j->production));
  BOREALIS_RETURN_IF_ERROR(r.get("priority", &j->priority));
  BOREALIS_RETURN_IF_ERROR(r.object("health_check_config", [&](Reader& h) {
    return read_health_check(h, &j->health_check_config);
  }));
  BOREALIS_RETURN_IF_ERROR(
      r.object("lifecycle", [&](Reader& l) { return read_lifecycle(l, &j->lifecycle); }));
  BOREALIS_RETURN_IF_ERROR(read_optional_map(r, "task_links", &j->task_links));
  BOREALIS_RETURN_IF_ERROR(r.object("executor_config", [&](Reader& e) {
    BOREALIS_RETURN_IF_ERROR(e.get("name", &j->executor_config.name));
    return e.get("data", &j->executor_config.data);
  }));
  BOREALIS_RETURN_IF_ERROR(r.get("enable_hooks", &j->enable_hooks));
  BOREALIS_RETURN_IF_ERROR(r.object("partition_policy", [&](Reader& p) {
    j->partition_policy.emplace();
    BOREALIS_RETURN_IF_ERROR(p.get("reschedule", &j->partition_policy->reschedule));
    return p.get("delay_secs", &j->partition_policy->delay_secs);
  }));
  BOREALIS_RETURN_IF_ERROR(r.object("sla_policy", [&](Reader& s) {
    j->sla_policy.emplace();
    return read_sla_policy(s, &*j->sla_policy);
  }));
  BOREALIS_RETURN_IF_ERROR(r.object("container", [&](Reader& c) {
    j->container.emplace();
    return read_container(c, &*j->container);
  }));
  if (j->name.empty() || j->name == "{{task.name}}") j->name = j->task.name;
  return Status();
}

json::object docker_to_json(const ContainerSpec& c) {
  json::array params;
  for (const auto& p : c.docker_parameters)
    params.push_back(json::object{{"name", p.name}, {"value", p.value}});
  return json::object{{"image", c.docker_image}, {"parameters", std::move(params)}};
}

json::value container_to_json(const ContainerSpec& c) {
  switch (c.kind) {
    case ContainerSpec::Kind::kContainerDocker:
      return json::object{{"docker", docker_to_json(c)}};
    case ContainerSpec::Kind::kDocker:
      return docker_to_json(c);
    case ContainerSpec::Kind::kMesos: {
      json::object o;
      if (c.image_kind == ContainerSpec::ImageKind::kAppc) {
        o["image"] = json::object{{"name", c.image_name}, {"image_id", c.image_id}};
      } else if (c.image_kind == ContainerSpec::ImageKind::kDocker) {
        o["image"] = json::object{{"name", c.image_name}, {"tag", c.image_tag}};
      }
      json::array vols;
      for (const auto& v : c.volumes)
        vols.push_back(json::object{
            {"container_path", v.container_path}, {"host_path", v.host_path}, {"mode", v.mode}});
      o["volumes"] = std::move(vols);
      return o;
    }
  }
  return json::object{};
}

json::value update_config_json(const UpdateConfig& u) {
  json::object o{{"batch_size", u.batch_size},
                 {"watch_secs", u.watch_secs},
                 {"max_per_shard_failures", u.max_per_shard_failures},
                 {"max_total_failures", u.max_total_failures},
                 {"rollback_on_failure", u.rollback_on_failure},
                 {"wait_for_batch_completion", u.wait_for_batch_completion}};
  if (u.pulse_interval_secs) o["pulse_interval_secs"] = *u.pulse_interval_secs;
  o["sla_aware"] = u.sla_aware;
  if (u.queue_strategy) {
    o["update_strategy"] = json::object{{"batch_size", u.queue_strategy->batch_size}};
  } else if (u.batch_strategy) {
    o["update_strategy"] =
        json::object{{"batch_size", u.batch_strategy->batch_size},
                     {"autopause_after_batch", u.batch_strategy->autopause_after_batch}};
  } else if (u.variable_batch_strategy) {
    json::array sizes(u.variable_batch_strategy->batch_sizes.begin(),
                      u.variable_batch_strategy->batch_sizes.end());
    o["update_strategy"] =
        json::object{{"batch_sizes", std::move(sizes)},
                     {"autopause_after_batch", u.variable_batch_strategy->autopause_after_batch}};
  }
  return o;
}

json::value health_check_to_json(const HealthCheckConfig& h) {
  json::object checker;
  if (h.health_checker.http) {
    const auto& c = *h.health_checker.http;
    checker["http"] = json::object{{"endpoint", c.endpoint},
                                   {"expected_response", c.expected_response},
                                   {"expected_response_code", c.expected_response_code}};
  }
  if (h.health_checker.shell)
    checker["shell"] = json::object{{"shell_command", h.health_checker.shell->shell_command}};
  return json::object{{"health_checker", std::move(checker)},
                      {"initial_interval_secs", h.initial_interval_secs},
                      {"interval_secs", h.interval_secs},
                      {"max_consecutive_failures", h.max_consecutive_failures},
                      {"min_consecutive_successes", h.min_consecutive_successes},
                      {"timeout_secs", h.timeout_secs}};
}

json::value sla_policy_to_json(const SlaPolicy& s) {
  switch (s.kind) {
    case SlaPolicy::Kind::kCoordinator:
      return json::object{{"coordinator_url", s.coordinator_url}, {"status_key", s.status_key}};
    case SlaPolicy::Kind::kCount:
      return json::object{{"count", s.count}, {"duration_secs", s.duration_secs}};
    case SlaPolicy::Kind::kPercentage:
      return json::object{{"percentage", s.percentage}, {"duration_secs", s.duration_secs}};
  }
  return json::object{};
}

}  // namespace

json::value update_config_to_json(const UpdateConfig& u) { return update_config_json(u); }

Result<UpdateConfig> update_config_from_json(const json::value& v) {
  if (!v.is_object()) return invalid_argument("update_config: expected an object");
  UpdateConfig u;
  FieldReader r(v.get_object(), "update_config");
  BOREALIS_RETURN_IF_ERROR(read_update_config(r, &u));
  BOREALIS_RETURN_IF_ERROR(r.finish());
  return u;
}

json::value resources_to_json(const Resources& r) {
  return json::object{{"cpu", r.cpu}, {"ram", r.ram}, {"disk", r.disk}, {"gpu", r.gpu}};
}

json::value task_to_json(const Task& t) {
  json::array procs;
  for (const auto& p : t.processes) {
    json::object o{
        {"cmdline", p.cmdline}, {"name", p.name},           {"max_failures", p.max_failures},
        {"daemon", p.daemon},   {"ephemeral", p.ephemeral}, {"min_duration", p.min_duration},
        {"final", p.final}};
    if (p.logger) {
      json::object l{{"destination", p.logger->destination}, {"mode", p.logger->mode}};
      if (p.logger->rotate)
        l["rotate"] = json::object{{"log_size", p.logger->rotate->log_size},
                                   {"backups", p.logger->rotate->backups}};
      o["logger"] = std::move(l);
    }
    if (p.resources) o["resources"] = resources_to_json(*p.resources);
    procs.push_back(std::move(o));
  }
  json::array constraints;
  for (const auto& c : t.constraints) {
    json::array order(c.order.begin(), c.order.end());
    constraints.push_back(json::object{{"order", std::move(order)}});
  }
  json::object o{
      {"name", t.name}, {"processes", std::move(procs)}, {"constraints", std::move(constraints)}};
  if (t.resources) o["resources"] = resources_to_json(*t.resources);
  o["max_failures"] = t.max_failures;
  o["max_concurrency"] = t.max_concurrency;
  o["finalization_wait"] = t.finalization_wait;
  if (t.user) o["user"] = *t.user;
  if (!t.artifacts.empty()) {
    json::array artifacts;
    for (const auto& a : t.artifacts) {
      json::object ao{{"uri", a.uri}, {"sha256", a.sha256}};
      if (!a.name.empty()) ao["name"] = a.name;
      artifacts.push_back(std::move(ao));
    }
    o["artifacts"] = std::move(artifacts);
  }
  return o;
}

json::value job_spec_to_json(const JobSpec& j) {
  json::object o{
      {"name", j.name}, {"role", j.role}, {"environment", j.environment}, {"cluster", j.cluster}};
  if (j.contact) o["contact"] = *j.contact;
  o["instances"] = j.instances;
  o["task"] = task_to_json(j.task);
  if (j.announce) {
    json::object a{{"primary_port", j.announce->primary_port},
                   {"portmap", json_string_map(j.announce->portmap)}};
    if (j.announce->zk_path) a["zk_path"] = *j.announce->zk_path;
    o["announce"] = std::move(a);
  }
  if (j.tier) o["tier"] = *j.tier;
  if (j.cron_schedule) o["cron_schedule"] = *j.cron_schedule;
  o["cron_collision_policy"] = j.cron_collision_policy;
  o["update_config"] = update_config_json(j.update_config);
  if (j.constraints) o["constraints"] = json_string_map(*j.constraints);
  json::array md;
  for (const auto& m : j.metadata) md.push_back(json::object{{"key", m.key}, {"value", m.value}});
  o["metadata"] = std::move(md);
  o["service"] = j.service;
  o["max_task_failures"] = j.max_task_failures;
  o["production"] = j.production;
  o["priority"] = j.priority;
  o["health_check_config"] = health_check_to_json(j.health_check_config);
  json::object lifecycle;
  if (j.lifecycle.http) {
    const auto& h = *j.lifecycle.http;
    lifecycle["http"] = json::object{{"port", h.port},
                                     {"graceful_shutdown_endpoint", h.graceful_shutdown_endpoint},
                                     {"shutdown_endpoint", h.shutdown_endpoint},
                                     {"graceful_shutdown_wait_secs", h.graceful_shutdown_wait_secs},
                                     {"shutdown_wait_secs", h.shutdown_wait_secs}};
  }
  o["lifecycle"] = std::move(lifecycle);
  if (j.task_links) o["task_links"] = json_string_map(*j.task_links);
  o["executor_config"] =
      json::object{{"name", j.executor_config.name}, {"data", j.executor_config.data}};
  o["enable_hooks"] = j.enable_hooks;
  if (j.partition_policy)
    o["partition_policy"] = json::object{{"reschedule", j.partition_policy->reschedule},
                                         {"delay_secs", j.partition_policy->delay_secs}};
  if (j.sla_policy) o["sla_policy"] = sla_policy_to_json(*j.sla_policy);
  if (j.container) o["container"] = container_to_json(*j.container);
  return o;
}

Result<JobSpec> job_spec_from_json(const json::value& v) {
  if (!v.is_object()) return invalid_argument("a job must be a JSON object");
  JobSpec job;
  FieldReader r(v.get_object(), "");
  BOREALIS_RETURN_IF_ERROR(read_job(r, &job));
  BOREALIS_RETURN_IF_ERROR(r.finish());
  return job;
}

Result<std::vector<JobSpec>> job_specs_from_document(std::string_view text) {
  BOREALIS_ASSIGN_OR_RETURN(json::value doc, parse_json(text));
  std::vector<JobSpec> jobs;
  if (doc.is_object() && doc.get_object().contains("jobs")) {
    if (doc.get_object().size() != 1)
      return invalid_argument("a document with \"jobs\" must hold nothing else");
    const json::value& list = doc.get_object().at("jobs");
    if (!list.is_array()) return invalid_argument("jobs: expected a list of job objects");
    for (size_t i = 0; i < list.get_array().size(); ++i) {
      auto job = job_spec_from_json(list.get_array()[i]);
      if (!job.ok()) return job.status().with_context("jobs[" + std::to_string(i) + "]");
      jobs.push_back(std::move(job).value());
    }
    return jobs;
  }
  BOREALIS_ASSIGN_OR_RETURN(JobSpec job, job_spec_from_json(doc));
  jobs.push_back(std::move(job));
  return jobs;
}

}  // namespace borealis::jobspec
