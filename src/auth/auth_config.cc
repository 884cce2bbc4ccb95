#include "auth/auth_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "auth/token.h"

namespace borealis::auth {

namespace {

// Everything yaml-cpp throws stays inside this file: callers get a Status with FILE:LINE.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  Status error(const YAML::Node& at, const std::string& what) const {
    return invalid_argument(source_ + ":" + std::to_string(at.Mark().line + 1) + ": " + what);
  }

  Status only_keys(const YAML::Node& map, std::initializer_list<std::string_view> known,
                   std::string_view where) const {
    for (const auto& kv : map) {
      std::string key = kv.first.as<std::string>();
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        std::string list;
        for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        return error(kv.first, "unknown key '" + key + "' in " + std::string(where) +
                                   " (known: " + list + ")");
      }
    }
    return Status::ok_status();
  }

  Result<std::string> string(const YAML::Node& n, std::string_view what) const {
    if (!n.IsScalar()) return error(n, std::string(what) + " must be a string");
    std::string s = n.as<std::string>();
    if (s.empty()) return error(n, std::string(what) + " must not be empty");
    return s;
  }

  Result<std::set<std::string>> names(const YAML::Node& n, std::string_view what) const {
    std::set<std::string> out;
    if (!n) return out;
    if (!n.IsSequence()) return error(n, std::string(what) + " must be a list of names");
    for (const auto& item : n) {
      BOREALIS_ASSIGN_OR_RETURN(std::string s, string(item, what));
      out.insert(std::move(s));
    }
    return out;
  }

 private:
  std::string source_;
};

Result<Identity> read_user(const Reader& r, const YAML::Node& u, std::string* digest) {
  if (!u.IsMap()) return r.error(u, "each entry of users must be a map");
  BOREALIS_RETURN_IF_ERROR(
      r.only_keys(u, {"name", "token_sha256", "roles", "prod_roles", "agents", "admin"}, "a user"));
  Identity id;
  if (!u["name"]) return r.error(u, "a user needs a name");
  BOREALIS_ASSIGN_OR_RETURN(id.name, r.string(u["name"], "name"));
  if (!u["token_sha256"]) return r.error(u, "user '" + id.name + "' needs token_sha256");
  BOREALIS_ASSIGN_OR_RETURN(*digest, r.string(u["token_sha256"], "token_sha256"));
  if (!is_sha256_hex(*digest))
    return r.error(u["token_sha256"], "token_sha256 of user '" + id.name +
                                          "' must be 64 hex digits (a SHA-256 digest)");
  std::transform(digest->begin(), digest->end(), digest->begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  BOREALIS_ASSIGN_OR_RETURN(id.roles, r.names(u["roles"], "roles"));
  BOREALIS_ASSIGN_OR_RETURN(id.prod_roles, r.names(u["prod_roles"], "prod_roles"));
  BOREALIS_ASSIGN_OR_RETURN(id.agents, r.names(u["agents"], "agents"));
  if (const YAML::Node& a = u["admin"]) {
    if (!a.IsScalar() || (a.Scalar() != "true" && a.Scalar() != "false"))
      return r.error(a, "admin must be true or false");
    id.admin = a.Scalar() == "true";
  }
  return id;
}

}  // namespace

Result<AuthConfig> AuthConfig::load_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return io_error("cannot read auth file " + path);
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

Result<AuthConfig> AuthConfig::parse(std::string_view yaml, const std::string& source_name) {
  Reader r(source_name);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return invalid_argument(source_name + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  try {
    AuthConfig c;
    if (!root.IsMap()) return r.error(root, "an auth file is a map with a 'users' list");
    BOREALIS_RETURN_IF_ERROR(r.only_keys(root, {"users", "protected_prod_roles"}, "the file"));
    const YAML::Node& users = root["users"];
    if (!users || !users.IsSequence()) return r.error(root, "'users' must be a list");
    std::set<std::string> names, digests;
    for (const auto& u : users) {
      std::string digest;
      BOREALIS_ASSIGN_OR_RETURN(Identity id, read_user(r, u, &digest));
      if (!names.insert(id.name).second)
        return r.error(u, "user '" + id.name + "' is listed twice");
      if (!digests.insert(digest).second)
        return r.error(u, "user '" + id.name + "' has the same token as another user");
      c.tokens_.push_back({digest, c.users_.size()});
      c.users_.push_back(std::move(id));
    }
    BOREALIS_ASSIGN_OR_RETURN(auto prot,
                              r.names(root["protected_prod_roles"], "protected_prod_roles"));
    c.protected_prod_roles_.assign(prot.begin(), prot.end());
    return c;
  } catch (const YAML::Exception& e) {
    return invalid_argument(source_name + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

Status AuthConfig::add_user(Identity identity, std::string_view token) {
  std::string digest = sha256_hex(token);
  for (const Identity& u : users_)
    if (u.name == identity.name) return already_exists("user '" + u.name + "' exists already");
  for (const User& u : tokens_)
    if (digests_equal(u.token_sha256, digest))
      return already_exists("user '" + identity.name + "' has the same token as another user");
  tokens_.push_back({std::move(digest), users_.size()});
  users_.push_back(std::move(identity));
  return Status::ok_status();
}

Result<const Identity*> AuthConfig::authenticate(
    std::optional<std::string_view> authorization) const {
  if (!authorization || authorization->empty())
    return unauthenticated("no credentials: send 'Authorization: Bearer TOKEN'");
  std::string_view h = *authorization;
  constexpr std::string_view kScheme = "bearer ";
  bool bearer = h.size() > kScheme.size();
  for (size_t i = 0; bearer && i < kScheme.size(); ++i)
    bearer = std::tolower(static_cast<unsigned char>(h[i])) == kScheme[i];
  if (!bearer) return unauthenticated("the Authorization header must be 'Bearer TOKEN'");
  std::string digest = sha256_hex(h.substr(kScheme.size()));
  const Identity* found = nullptr;
  // Compare against every user, so the time taken does not say which one matched.
  for (const User& u : tokens_)
    if (digests_equal(u.token_sha256, digest)) found = &users_[u.identity];
  if (!found) return unauthenticated("the token matches no user");
  return found;
}

Status AuthConfig::authorize(const Identity& who, const Access& access) const {
  if (who.admin) return Status::ok_status();
  switch (access.kind) {
    case AccessKind::kRead:
      return Status::ok_status();
    case AccessKind::kAdmin:
      return permission_denied("user '" + who.name + "' is not an admin");
    case AccessKind::kAgent:
      if (who.agents.empty())
        return permission_denied("user '" + who.name + "' is not an agent (no 'agents' hosts)");
      if (!access.host.empty() && !who.agents.count(access.host))
        return permission_denied("user '" + who.name + "' may not act as the agent of host '" +
                                 access.host + "'");
      return Status::ok_status();
    case AccessKind::kTaskData:
    case AccessKind::kWrite:
      break;
  }
  if (!who.roles.count(access.role))
    return permission_denied("user '" + who.name + "' has no grant for role '" + access.role + "'");
  bool protected_prod = access.environment == "prod" &&
                        std::find(protected_prod_roles_.begin(), protected_prod_roles_.end(),
                                  access.role) != protected_prod_roles_.end();
  if (protected_prod && !who.prod_roles.count(access.role))
    return permission_denied("user '" + who.name + "' has no prod grant for role '" + access.role +
                             "' (its prod environment is protected)");
  return Status::ok_status();
}

}  // namespace borealis::auth
