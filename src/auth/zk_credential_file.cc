#include "auth/zk_credential_file.h"

#include "auth/token_file.h"

namespace borealis::auth {

Result<zk::DigestCredential> read_zk_credential_file(const std::string& path) {
  BOREALIS_ASSIGN_OR_RETURN(std::string text, read_token_file(path));
  auto credential = zk::parse_digest_credential(text);
  if (!credential.ok()) return credential.status().with_context(path);
  return credential;
}

}  // namespace borealis::auth
