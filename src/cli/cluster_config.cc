#include "cli/cluster_config.h"

#include "common/files.h"
#include "common/job_key.h"
#include "common/json.h"
#include "common/strings.h"

namespace borealis::cli {

namespace {

// `file` as written in clusters file `source`: relative to the source's directory.
std::string beside(std::string_view source, const std::string& file) {
  if (file.empty() || file[0] == '/') return file;
  auto slash = source.rfind('/');
  return slash == std::string_view::npos ? file : std::string(source.substr(0, slash + 1)) + file;
}

// "auth": "none" or {"credentials": NAME, "file": PATH}. A relative PATH is relative to
// the directory of the clusters.json that names it.
Status parse_auth(FieldReader& entry, std::string_view source, ClusterAuth* auth) {
  const json::value* v = entry.raw("auth");
  if (!v) return Status();
  if (v->is_string() && v->get_string() == "none") {
    auth->none = true;
    return Status();
  }
  if (!v->is_object())
    return entry.error("auth", R"(expected "none" or {"credentials": NAME, "file": PATH})");
  FieldReader r(v->get_object(), entry.field_path("auth"));
  BOREALIS_RETURN_IF_ERROR(r.get("credentials", &auth->credentials));
  if (!auth->credentials.empty()) {
    BOREALIS_RETURN_IF_ERROR(validate_identifier("credentials name", auth->credentials)
                                 .with_context(r.field_path("credentials")));
  }
  BOREALIS_RETURN_IF_ERROR(r.get("file", &auth->file));
  auth->file = beside(source, auth->file);
  BOREALIS_RETURN_IF_ERROR(r.finish());
  if (!auth->named()) return entry.error("auth", "give \"credentials\", \"file\" or both");
  return Status();
}

// One entry; `path` is where it sits in the file ("[2]" or "us-east").
Result<ClusterConfig> parse_entry(const json::object& obj, const std::string& path,
                                  std::string_view source) {
  FieldReader r(obj, path);
  ClusterConfig c;
  BOREALIS_RETURN_IF_ERROR(r.get("name", &c.name));
  BOREALIS_RETURN_IF_ERROR(
      validate_identifier("cluster name", c.name).with_context(r.field_path("name")));
  BOREALIS_RETURN_IF_ERROR(r.get("scheduler_uri", &c.scheduler_uri));
  BOREALIS_RETURN_IF_ERROR(r.get("zk", &c.zk));
  BOREALIS_RETURN_IF_ERROR(r.get("zk_port", &c.zk_port));
  BOREALIS_RETURN_IF_ERROR(r.get("scheduler_zk_path", &c.scheduler_zk_path));
  BOREALIS_RETURN_IF_ERROR(r.get("scheduler_ca", &c.tls.ca_file));
  BOREALIS_RETURN_IF_ERROR(r.get("client_cert", &c.tls.cert_file));
  BOREALIS_RETURN_IF_ERROR(r.get("client_key", &c.tls.key_file));
  BOREALIS_RETURN_IF_ERROR(
      net::check_tls_flags(c.tls, {"client_cert", "client_key", "scheduler_ca"})
          .with_context(path));
  for (std::string* file : {&c.tls.ca_file, &c.tls.cert_file, &c.tls.key_file})
    *file = beside(source, *file);
  BOREALIS_RETURN_IF_ERROR(parse_auth(r, source, &c.auth));
  // Other Aurora fields (slave_root, proxy_url, auth_mechanism, ...) are tolerated.
  return c;
}

}  // namespace

Result<std::vector<ClusterConfig>> parse_clusters_json(std::string_view text,
                                                       std::string_view source) {
  const std::string where = "clusters file '" + std::string(source) + "'";
  auto doc = parse_json(text);
  if (!doc.ok()) return doc.status().with_context(where);

  // Aurora accepts a list of entries or a map whose values are entries.
  std::vector<std::pair<std::string, const json::value*>> entries;
  if (doc->is_array()) {
    const auto& a = doc->get_array();
    for (size_t i = 0; i < a.size(); ++i)
      entries.emplace_back("[" + std::to_string(i) + "]", &a[i]);
  } else if (doc->is_object()) {
    for (const auto& kv : doc->get_object())
      entries.emplace_back(std::string(kv.key()), &kv.value());
  } else {
    return invalid_argument(where + ": expected a list of cluster objects");
  }

  std::vector<ClusterConfig> out;
  for (const auto& [path, value] : entries) {
    if (!value->is_object())
      return invalid_argument(where + ": " + path + ": expected a cluster object");
    // Aurora skips entries without a name.
    if (!value->get_object().contains("name")) continue;
    auto c = parse_entry(value->get_object(), path, source);
    if (!c.ok()) return c.status().with_context(where);
    c->source = std::string(source);
    out.push_back(std::move(c).value());
  }
  return out;
}

Clusters::Clusters() {
  ClusterConfig dev;
  dev.name = kDevClusterName;
  dev.scheduler_uri = kDevClusterUri;
  dev.source = "built-in";
  by_name_[dev.name] = dev;
}

Result<Clusters> Clusters::load(const std::vector<std::string>& files) {
  Clusters clusters;
  for (const std::string& file : files) {
    clusters.files_.push_back(file);
    auto text = read_file(file, "clusters file");
    if (!text.ok() && text.status().code() == StatusCode::kNotFound) continue;
    if (!text.ok()) return text.status();
    BOREALIS_ASSIGN_OR_RETURN(auto entries, parse_clusters_json(*text, file));
    clusters.merge(entries);
  }
  return clusters;
}

void Clusters::merge(const std::vector<ClusterConfig>& entries) {
  for (const ClusterConfig& c : entries) by_name_[c.name] = c;
}

Result<ClusterConfig> Clusters::find(std::string_view name) const {
  auto it = by_name_.find(name);
  if (it != by_name_.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& kv : by_name_) names.push_back(kv.first);
  std::string msg =
      "unknown cluster '" + std::string(name) + "'; known clusters: " + join(names, ", ");
  if (!files_.empty()) msg += " (clusters are read from " + join(files_, " and ") + ")";
  return not_found(msg);
}

std::vector<std::string> cluster_files(std::string_view config_dir_env, std::string_view home) {
  std::vector<std::string> files;
  files.push_back(
      (config_dir_env.empty() ? std::string("/etc/borealis") : std::string(config_dir_env)) +
      "/clusters.json");
  if (!home.empty()) files.push_back(std::string(home) + "/.borealis/clusters.json");
  return files;
}

}  // namespace borealis::cli
