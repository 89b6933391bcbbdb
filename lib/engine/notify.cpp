// LISTEN, UNLISTEN and NOTIFY between the sessions of one database. As in PostgreSQL, all three
// take effect when their transaction commits (nothing of a rolled-back one), a transaction's
// identical notifications are sent once, and a session hears its own.
#include <boost/json.hpp>

#include "common/errors.h"
#include "engine/database_impl.h"
#include "engine/session_impl.h"
#include "sql/parser.h"

namespace heliosdb::engine {

using sql::field;
using sql::str_field;

void DatabaseImpl::listen(SessionImpl* session, const std::string& channel, bool on) {
  std::lock_guard lock(notify_mu_);
  if (on) {
    listeners_[channel].insert(session);
    return;
  }
  for (auto it = listeners_.begin(); it != listeners_.end();) {
    if (channel.empty() || it->first == channel) it->second.erase(session);
    it = it->second.empty() ? listeners_.erase(it) : std::next(it);
  }
}

void DatabaseImpl::notify(const std::vector<Notification>& notes) {
  std::lock_guard lock(notify_mu_);
  for (const auto& n : notes)
    if (auto it = listeners_.find(n.channel); it != listeners_.end())
      for (SessionImpl* s : it->second) s->deliver(n);
}

void SessionImpl::deliver(const DatabaseImpl::Notification& note) {
  std::function<void()> wake;
  {
    std::lock_guard lock(inbox_mu_);
    inbox_.push_back(note);
    wake = on_notify_;
  }
  if (wake) wake();
}

std::vector<DatabaseImpl::Notification> SessionImpl::take_notifications() {
  std::lock_guard lock(inbox_mu_);
  return std::exchange(inbox_, {});
}

bool SessionImpl::listening() const {
  std::lock_guard lock(inbox_mu_);
  return !listening_.empty() || !inbox_.empty();
}

void SessionImpl::set_notify_callback(std::function<void()> on_notify) {
  std::lock_guard lock(inbox_mu_);
  on_notify_ = std::move(on_notify);
}

void SessionImpl::notify(const std::string& channel, const std::string& payload) {
  if (channel.empty()) raise(sqlstate::kInvalidParameterValue, "channel name cannot be empty");
  if (channel.size() >= 64) raise(sqlstate::kInvalidParameterValue, "channel name too long");
  if (payload.size() >= 8000) raise(sqlstate::kInvalidParameterValue, "payload string too long");
  for (const auto& n : pending_notifies_)
    if (n.channel == channel && n.payload == payload) return;  // sent once per transaction
  pending_notifies_.push_back({channel, payload, static_cast<int32_t>(backend_pid_)});
}

void SessionImpl::run_listen(std::string_view type, const boost::json::object& n, ResultSink& sink) {
  std::string channel(str_field(n, "conditionname"));
  if (type == "NotifyStmt") {
    notify(channel, std::string(str_field(n, "payload")));
    return sink.complete("NOTIFY", 0);
  }
  pending_listens_.emplace_back(channel, type == "ListenStmt");
  sink.complete(type == "ListenStmt" ? "LISTEN" : "UNLISTEN", 0);
}

void SessionImpl::end_transaction_notifies(bool committed) {
  auto listens = std::exchange(pending_listens_, {});
  auto notes = std::exchange(pending_notifies_, {});
  if (!committed) return;
  for (const auto& [channel, on] : listens) {
    {
      std::lock_guard lock(inbox_mu_);
      if (on) listening_.insert(channel);
      else if (channel.empty()) listening_.clear();
      else listening_.erase(channel);
    }
    db_->listen(this, channel, on);
  }
  if (!notes.empty()) db_->notify(notes);
}

}  // namespace heliosdb::engine
