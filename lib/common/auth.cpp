#include "common/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <charconv>
#include <optional>
#include <stdexcept>

namespace heliosdb::auth {

namespace {

constexpr std::string_view kScramPrefix = "SCRAM-SHA-256$";
constexpr size_t kNonceBytes = 18;  // PostgreSQL's SCRAM_RAW_NONCE_LEN

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    throw std::runtime_error("no random bytes available");
  return out;
}

std::string base64(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(raw.data()),
                          static_cast<int>(raw.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> unbase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(text.size() / 4 * 3 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  size_t len = static_cast<size_t>(n);
  if (!text.empty() && text.back() == '=') --len;
  if (text.size() > 1 && text[text.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

std::string hmac(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), md, &len);
  return std::string(reinterpret_cast<char*>(md), len);
}

std::string sha256(std::string_view data) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  return std::string(reinterpret_cast<char*>(md), sizeof md);
}

std::string md5_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_md5(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(hex[md[i] >> 4]);
    out.push_back(hex[md[i] & 15]);
  }
  return out;
}

std::string salted_password(std::string_view password, std::string_view salt, int iterations) {
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(), static_cast<int>(out.size()),
                    reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

bool equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

struct Verifier {
  int iterations = 0;
  std::string salt, stored_key, server_key;
};

// SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
std::optional<Verifier> parse_verifier(std::string_view v) {
  if (!is_scram(v)) return std::nullopt;
  v.remove_prefix(kScramPrefix.size());
  size_t colon = v.find(':'), dollar = v.find('$');
  if (colon == std::string_view::npos || dollar == std::string_view::npos || colon > dollar) return std::nullopt;
  Verifier out;
  auto iters = v.substr(0, colon);
  if (std::from_chars(iters.data(), iters.data() + iters.size(), out.iterations).ec != std::errc() || out.iterations <= 0)
    return std::nullopt;
  auto salt = unbase64(v.substr(colon + 1, dollar - colon - 1));
  std::string_view keys = v.substr(dollar + 1);
  size_t kc = keys.find(':');
  if (!salt || kc == std::string_view::npos) return std::nullopt;
  auto stored = unbase64(keys.substr(0, kc)), server = unbase64(keys.substr(kc + 1));
  if (!stored || !server || stored->size() != SHA256_DIGEST_LENGTH || server->size() != SHA256_DIGEST_LENGTH)
    return std::nullopt;
  out.salt = *salt;
  out.stored_key = *stored;
  out.server_key = *server;
  return out;
}

// The value of attribute `name` ("r", "c", "p", ...) at the front of `msg`; advances past it.
std::optional<std::string_view> attribute(std::string_view& msg, char name) {
  if (msg.size() < 2 || msg[0] != name || msg[1] != '=') return std::nullopt;
  size_t end = msg.find(',');
  std::string_view value = msg.substr(2, end == std::string_view::npos ? std::string_view::npos : end - 2);
  msg = end == std::string_view::npos ? std::string_view() : msg.substr(end + 1);
  return value;
}

}  // namespace

bool is_scram(std::string_view verifier) { return verifier.substr(0, kScramPrefix.size()) == kScramPrefix; }

bool is_md5(std::string_view verifier) { return verifier.size() == 35 && verifier.substr(0, 3) == "md5"; }

std::string scram_verifier(std::string_view password, int iterations) {
  std::string salt = random_bytes(16);
  std::string salted = salted_password(password, salt, iterations);
  std::string stored = sha256(hmac(salted, "Client Key"));
  std::string server = hmac(salted, "Server Key");
  return std::string(kScramPrefix) + std::to_string(iterations) + ":" + base64(salt) + "$" + base64(stored) + ":" +
         base64(server);
}

std::string md5_verifier(std::string_view password, std::string_view user) {
  return "md5" + md5_hex(std::string(password) + std::string(user));
}

bool check_password(std::string_view verifier, std::string_view user, std::string_view password) {
  if (is_md5(verifier)) return equal(md5_verifier(password, user), verifier);
  auto v = parse_verifier(verifier);
  if (!v) return false;
  std::string salted = salted_password(password, v->salt, v->iterations);
  return equal(sha256(hmac(salted, "Client Key")), v->stored_key) && equal(hmac(salted, "Server Key"), v->server_key);
}

bool check_md5_response(std::string_view verifier, const uint8_t salt[4], std::string_view response) {
  if (!is_md5(verifier)) return false;
  std::string expected = "md5" + md5_hex(std::string(verifier.substr(3)) + std::string(reinterpret_cast<const char*>(salt), 4));
  return equal(expected, response);
}

ScramExchange::ScramExchange(std::string_view verifier) {
  if (auto v = parse_verifier(verifier)) {
    valid_ = true;
    iterations_ = v->iterations;
    salt_ = v->salt;
    stored_key_ = v->stored_key;
    server_key_ = v->server_key;
  } else {
    // A made-up salt so an unknown user is not told apart from a wrong password.
    salt_ = random_bytes(16);
    stored_key_ = random_bytes(SHA256_DIGEST_LENGTH);
    server_key_ = random_bytes(SHA256_DIGEST_LENGTH);
  }
}

bool ScramExchange::first(std::string_view msg, std::string& server_first, std::string& why) {
  // gs2-header: channel-binding flag "n" or "y" (we offer no -PLUS mechanism), no authzid.
  if (msg.size() < 3 || (msg[0] != 'n' && msg[0] != 'y') || msg[1] != ',') {
    why = msg.substr(0, 1) == "p" ? "channel binding is not supported" : "malformed SCRAM message";
    return false;
  }
  size_t second = msg.find(',', 2);
  if (second == std::string_view::npos || second != 2) {
    why = "client uses authorization identity, but it is not supported";
    return false;
  }
  gs2_header_ = std::string(msg.substr(0, 3));
  std::string_view bare = msg.substr(3);
  client_first_bare_ = std::string(bare);
  std::string_view rest = bare;
  if (!attribute(rest, 'n')) {  // the user name; PostgreSQL uses the startup packet's
    why = "malformed SCRAM message";
    return false;
  }
  auto client_nonce = attribute(rest, 'r');
  if (!client_nonce || client_nonce->empty()) {
    why = "malformed SCRAM message";
    return false;
  }
  nonce_ = std::string(*client_nonce) + base64(random_bytes(kNonceBytes));
  server_first_ = "r=" + nonce_ + ",s=" + base64(salt_) + ",i=" + std::to_string(iterations_);
  server_first = server_first_;
  return true;
}

bool ScramExchange::final(std::string_view msg, std::string& server_final, std::string& why) {
  std::string_view rest = msg;
  auto binding = attribute(rest, 'c');
  auto nonce = attribute(rest, 'r');
  if (!binding || !nonce) {
    why = "malformed SCRAM message";
    return false;
  }
  if (*binding != base64(gs2_header_)) {
    why = "SCRAM channel binding check failed";
    return false;
  }
  if (*nonce != nonce_) {
    why = "SCRAM nonce mismatch";
    return false;
  }
  // Skip extensions up to the proof, which is last.
  std::optional<std::string_view> proof_b64;
  while (!rest.empty()) {
    if (rest.substr(0, 2) == "p=") {
      proof_b64 = attribute(rest, 'p');
      break;
    }
    size_t c = rest.find(',');
    rest = c == std::string_view::npos ? std::string_view() : rest.substr(c + 1);
  }
  auto proof = proof_b64 ? unbase64(*proof_b64) : std::nullopt;
  if (!proof || proof->size() != SHA256_DIGEST_LENGTH) {
    why = "malformed SCRAM message";
    return false;
  }
  std::string_view without_proof = msg.substr(0, msg.rfind(",p="));
  std::string auth_message = client_first_bare_ + "," + server_first_ + "," + std::string(without_proof);
  std::string signature = hmac(stored_key_, auth_message);
  std::string client_key(SHA256_DIGEST_LENGTH, '\0');
  for (size_t i = 0; i < client_key.size(); ++i) client_key[i] = static_cast<char>((*proof)[i] ^ signature[i]);
  if (!valid_ || !equal(sha256(client_key), stored_key_)) return false;
  server_final = "v=" + base64(hmac(server_key_, auth_message));
  return true;
}

}  // namespace heliosdb::auth
