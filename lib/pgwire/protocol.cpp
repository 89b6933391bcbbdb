#include "pgwire/protocol.h"

#include "common/errors.h"
#include "common/types.h"

namespace heliosdb::pgwire {

namespace {
// As PostgreSQL's pq_getmsg* report a message that ends too soon (ERROR: the connection stays).
[[noreturn]] void malformed(const char* what = "insufficient data left in message") {
  throw Error(sqlstate::kProtocolViolation, what);
}
}  // namespace

void MessageReader::end() const {
  if (remaining() != 0) malformed("invalid message format");
}

int16_t MessageReader::int16() {
  if (remaining() < 2) malformed();
  auto v = static_cast<int16_t>((static_cast<uint8_t>(body_[pos_]) << 8) | static_cast<uint8_t>(body_[pos_ + 1]));
  pos_ += 2;
  return v;
}

int32_t MessageReader::int32() {
  if (remaining() < 4) malformed();
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(body_[pos_ + i]);
  pos_ += 4;
  return static_cast<int32_t>(v);
}

std::string_view MessageReader::cstr() {
  size_t end = body_.find('\0', pos_);
  if (end == std::string_view::npos) malformed("invalid string in message");
  std::string_view s = body_.substr(pos_, end - pos_);
  pos_ = end + 1;
  return s;
}

std::string_view MessageReader::bytes(size_t n) {
  if (remaining() < n) malformed();
  std::string_view s = body_.substr(pos_, n);
  pos_ += n;
  return s;
}

void MessageWriter::begin(char type) {
  buf_.push_back(type);
  start_ = buf_.size();
  buf_.append(4, '\0');
}

void MessageWriter::end() {
  uint32_t len = static_cast<uint32_t>(buf_.size() - start_);
  for (int i = 0; i < 4; ++i) buf_[start_ + i] = static_cast<char>((len >> (24 - 8 * i)) & 0xff);
}

void MessageWriter::int16(int16_t v) {
  buf_.push_back(static_cast<char>((v >> 8) & 0xff));
  buf_.push_back(static_cast<char>(v & 0xff));
}

void MessageWriter::int32(int32_t v) {
  auto u = static_cast<uint32_t>(v);
  for (int i = 3; i >= 0; --i) buf_.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
}

void MessageWriter::auth_ok() {
  begin('R');
  int32(0);
  end();
}

void MessageWriter::parameter_status(std::string_view name, std::string_view value) {
  begin('S');
  cstr(name);
  cstr(value);
  end();
}

void MessageWriter::backend_key(int32_t pid, int32_t secret) {
  begin('K');
  int32(pid);
  int32(secret);
  end();
}

void MessageWriter::ready(char status) {
  begin('Z');
  buf_.push_back(status);
  end();
}

void MessageWriter::row_description(const std::vector<Column>& cols, const std::vector<int16_t>& formats) {
  begin('T');
  int16(static_cast<int16_t>(cols.size()));
  for (size_t i = 0; i < cols.size(); ++i) {
    const auto& c = cols[i];
    cstr(c.name);
    int32(static_cast<int32_t>(c.table_oid));
    int16(c.column_number);
    int32(static_cast<int32_t>(c.type_oid));
    const auto* ti = types::find(c.type_oid);
    int16(ti ? ti->length : -1);
    int32(c.typmod);
    int16(formats.empty() ? 0 : formats.size() == 1 ? formats[0] : formats[i]);
  }
  end();
}

void MessageWriter::command_complete(std::string_view tag) {
  begin('C');
  cstr(tag);
  end();
}

void MessageWriter::empty_query() {
  begin('I');
  end();
}

void MessageWriter::error(const Error& e, bool notice) {
  begin(notice ? 'N' : 'E');
  const std::string& sev = e.severity();
  buf_.push_back('S');
  cstr(sev);
  buf_.push_back('V');
  cstr(sev);
  buf_.push_back('C');
  cstr(e.sqlstate());
  buf_.push_back('M');
  cstr(e.message());
  if (!e.detail().empty()) {
    buf_.push_back('D');
    cstr(e.detail());
  }
  if (!e.hint().empty()) {
    buf_.push_back('H');
    cstr(e.hint());
  }
  if (e.position() > 0) {
    buf_.push_back('P');
    cstr(std::to_string(e.position()));
  }
  if (!e.context().empty()) {
    buf_.push_back('W');
    cstr(e.context());
  }
  // After W and in this order, as PostgreSQL's send_message_to_frontend.
  const std::pair<char, const std::string*> objects[] = {{'s', &e.schema_name()},
                                                         {'t', &e.table_name()},
                                                         {'c', &e.column_name()},
                                                         {'d', &e.datatype_name()},
                                                         {'n', &e.constraint_name()}};
  for (const auto& [code, value] : objects) {
    if (value->empty()) continue;
    buf_.push_back(code);
    cstr(*value);
  }
  buf_.push_back('\0');
  end();
}

}  // namespace heliosdb::pgwire
