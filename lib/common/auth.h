// Password authentication as PostgreSQL 15 does it: stored verifiers ("SCRAM-SHA-256$..." or
// "md5..."), cleartext and md5 checks against them, and the server side of SCRAM-SHA-256
// (RFC 5802 / RFC 7677). No I/O here: the connection moves the messages.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace heliosdb::auth {

// "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>" for a password, with a random salt.
std::string scram_verifier(std::string_view password, int iterations = 4096);
// "md5" + md5hex(password + user), PostgreSQL's md5 password format.
std::string md5_verifier(std::string_view password, std::string_view user);

bool is_scram(std::string_view verifier);
bool is_md5(std::string_view verifier);

// A cleartext password checked against a stored verifier of either kind.
bool check_password(std::string_view verifier, std::string_view user, std::string_view password);
// An md5 PasswordMessage ("md5" + md5hex(md5hex(password + user) + salt)) against an md5 verifier.
bool check_md5_response(std::string_view verifier, const uint8_t salt[4], std::string_view response);

// The server side of one SCRAM-SHA-256 exchange. With an empty (or non-SCRAM) verifier it plays
// the exchange through with made-up keys and fails at the end, as PostgreSQL does for unknown users.
class ScramExchange {
 public:
  explicit ScramExchange(std::string_view verifier);
  // client-first-message in, server-first-message out. Returns false (with why) on a malformed message.
  bool first(std::string_view client_first, std::string& server_first, std::string& why);
  // client-final-message in; true when the proof is right, with server-final-message ("v=...").
  bool final(std::string_view client_final, std::string& server_final, std::string& why);

 private:
  bool valid_ = false;
  int iterations_ = 4096;
  std::string salt_;                   // raw bytes
  std::string stored_key_, server_key_;  // raw 32 bytes each
  std::string gs2_header_, client_first_bare_, server_first_, nonce_;
};

}  // namespace heliosdb::auth
