// PostgreSQL v3 message encoding and decoding (no I/O).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "heliosdb/error.h"
#include "heliosdb/result.h"

namespace heliosdb::pgwire {

inline constexpr int32_t kProtocol3 = 196608;        // 3.0
inline constexpr int32_t kSslRequest = 80877103;
inline constexpr int32_t kGssEncRequest = 80877104;
inline constexpr int32_t kCancelRequest = 80877102;
inline constexpr size_t kMaxMessage = 1u << 30;      // PostgreSQL's MaxAllocSize
inline constexpr size_t kMaxStartupPacket = 10000;   // PostgreSQL's MAX_STARTUP_PACKET_LENGTH

// Reads fields of one message body; any overrun is a protocol violation (08P01).
class MessageReader {
 public:
  explicit MessageReader(std::string_view body) : body_(body) {}
  int16_t int16();
  int32_t int32();
  std::string_view cstr();           // NUL-terminated string
  std::string_view bytes(size_t n);
  size_t remaining() const { return body_.size() - pos_; }
  // Throws 08P01 "invalid message format" when bytes are left over.
  void end() const;

 private:
  std::string_view body_;
  size_t pos_ = 0;
};

// Appends whole messages to one buffer, flushed once per Sync / Query.
class MessageWriter {
 public:
  void begin(char type);
  void end();
  void int8(uint8_t v) { buf_.push_back(static_cast<char>(v)); }
  void int16(int16_t v);
  void int32(int32_t v);
  void cstr(std::string_view s) {
    buf_.append(s);
    buf_.push_back('\0');
  }
  void raw(std::string_view s) { buf_.append(s); }
  std::string& buffer() { return buf_; }
  size_t size() const { return buf_.size(); }

  // Whole messages.
  void auth_ok();
  void parameter_status(std::string_view name, std::string_view value);
  void backend_key(int32_t pid, int32_t secret);
  void ready(char status);
  void row_description(const std::vector<Column>& cols, const std::vector<int16_t>& formats);
  void command_complete(std::string_view tag);
  void empty_query();
  void error(const Error& e, bool notice = false);
  void no_data() { begin('n'); end(); }
  void parse_complete() { begin('1'); end(); }
  void bind_complete() { begin('2'); end(); }
  void close_complete() { begin('3'); end(); }
  void portal_suspended() { begin('s'); end(); }
  // CopyInResponse ('G') / CopyOutResponse ('H'): text or binary format for every column.
  void copy_response(char type, size_t ncols, bool binary = false) {
    begin(type);
    int8(binary ? 1 : 0);
    int16(static_cast<int16_t>(ncols));
    for (size_t i = 0; i < ncols; ++i) int16(binary ? 1 : 0);
    end();
  }

 private:
  std::string buf_;
  size_t start_ = 0;
};

}  // namespace heliosdb::pgwire
