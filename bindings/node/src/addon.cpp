// The native half of the Node addon: thin Node-API wrappers over the C++ API. Every call that
// touches the database runs on a libuv worker thread and answers with a Promise; values are
// turned into JavaScript on the main thread. Pooling, parameter conversion and the public API
// are in lib/index.js.
#include <napi.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "heliosdb/heliosdb.h"
#include "heliosdb/pgwire/server.h"

namespace {

namespace oid = heliosdb::oid;

// Per-environment state: constructors, and JavaScript helpers lib/index.js registers.
struct AddonData {
  Napi::FunctionReference database, session, server;
  Napi::FunctionReference local_date;  // (y, m, d, h, mi, s, ms) -> Date in local time
  Napi::FunctionReference json_parse;
};

AddonData& data(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

Napi::Error js_error(Napi::Env env, const heliosdb::Error& e) {
  auto err = Napi::Error::New(env, e.message());
  auto o = err.Value();
  o.Set("code", e.sqlstate());
  o.Set("severity", e.severity());
  if (!e.detail().empty()) o.Set("detail", e.detail());
  if (!e.hint().empty()) o.Set("hint", e.hint());
  // As node-postgres gives it: the position field's text.
  if (e.position() > 0) o.Set("position", std::to_string(e.position()));
  return err;
}

// Runs `work` off the main thread, then resolves with what `done` builds on the main thread,
// or rejects with the heliosdb::Error the work threw.
class Task final : public Napi::AsyncWorker {
 public:
  using Work = std::function<void()>;
  using Done = std::function<Napi::Value(Napi::Env)>;

  static Napi::Promise run(Napi::Env env, Work work, Done done) {
    auto* t = new Task(env, std::move(work), std::move(done));
    auto promise = t->deferred_.Promise();
    t->Queue();
    return promise;
  }

 private:
  Task(Napi::Env env, Work work, Done done)
      : Napi::AsyncWorker(env, "heliosdb"), deferred_(Napi::Promise::Deferred::New(env)),
        work_(std::move(work)), done_(std::move(done)) {}

  void Execute() override {
    try {
      work_();
    } catch (const heliosdb::Error& e) {
      error_ = e;
    } catch (const std::bad_alloc&) {
      error_ = heliosdb::Error("53200", "out of memory");
    } catch (const std::exception& e) {
      error_ = heliosdb::Error("XX000", e.what());
    }
    work_ = nullptr;  // drop what the work held (sessions, databases) on this thread
  }

  void OnOK() override {
    Napi::HandleScope scope(Env());
    if (error_) {
      deferred_.Reject(js_error(Env(), *error_).Value());
      return;
    }
    try {
      deferred_.Resolve(done_(Env()));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    } catch (const heliosdb::Error& e) {
      deferred_.Reject(js_error(Env(), e).Value());
    }
    done_ = nullptr;
  }

  Napi::Promise::Deferred deferred_;
  Work work_;
  Done done_;
  std::optional<heliosdb::Error> error_;
};

// ---- values to JavaScript, as node-postgres's default type parsers give them ----

struct RowOptions {
  bool array_rows = false;  // rowMode: 'array'
  bool bigint = false;      // int8 as BigInt instead of string
};

int type_size(uint32_t t) {
  switch (t) {
    case oid::kBool: case oid::kChar: return 1;
    case oid::kInt2: return 2;
    case oid::kInt4: case oid::kOid: case oid::kFloat4: case oid::kDate: case oid::kRegclass: case oid::kRegproc: return 4;
    case oid::kInt8: case oid::kFloat8: case oid::kTime: case oid::kTimestamp: case oid::kTimestamptz: return 8;
    case oid::kTimetz: return 12;
    case oid::kInterval: case oid::kUuid: return 16;
    case oid::kName: return 64;
    default: return -1;
  }
}

// Proleptic Gregorian civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
void civil_from_days(int64_t z, int64_t& y, int64_t& m, int64_t& d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

constexpr int64_t kPgEpochDays = 10957;  // 2000-01-01 - 1970-01-01
constexpr int64_t kUsecPerDay = 86400000000LL;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// A timestamp without time zone (µs since 2000-01-01) or a date (days) as a local-time Date.
Napi::Value local_date(Napi::Env env, int64_t micros) {
  int64_t days = floor_div(micros, kUsecPerDay);
  int64_t in_day = micros - days * kUsecPerDay;
  int64_t y, m, d;
  civil_from_days(days + kPgEpochDays, y, m, d);
  int64_t ms = in_day / 1000;
  return data(env).local_date.Call({Napi::Number::New(env, double(y)), Napi::Number::New(env, double(m - 1)),
                                    Napi::Number::New(env, double(d)), Napi::Number::New(env, double(ms / 3600000)),
                                    Napi::Number::New(env, double(ms / 60000 % 60)),
                                    Napi::Number::New(env, double(ms / 1000 % 60)),
                                    Napi::Number::New(env, double(ms % 1000))});
}

Napi::Value interval(Napi::Env env, const heliosdb::Interval& iv) {
  // postgres-interval's shape: only the fields that are not zero.
  auto o = Napi::Object::New(env);
  auto set = [&](const char* k, double v) {
    if (v != 0) o.Set(k, Napi::Number::New(env, v));
  };
  set("years", iv.months / 12);
  set("months", iv.months % 12);
  set("days", iv.days);
  int64_t us = iv.micros;
  set("hours", double(us / 3600000000LL));
  set("minutes", double(us / 60000000LL % 60));
  set("seconds", double(us / 1000000 % 60));
  set("milliseconds", double(us % 1000000) / 1000.0);
  return o;
}

// JavaScript forms that are the value's text under the session's settings; the worker renders
// them (text_forms) so that the main thread never reads the session's settings.
bool text_form(uint32_t t) {
  switch (t) {
    case oid::kBool: case oid::kInt2: case oid::kInt4: case oid::kOid: case oid::kInt8: case oid::kFloat4:
    case oid::kFloat8: case oid::kNumeric: case oid::kText: case oid::kVarchar: case oid::kBpchar: case oid::kName:
    case oid::kUnknownType: case oid::kJson: case oid::kJsonb: case oid::kBytea: case oid::kTimestamptz:
    case oid::kTimestamp: case oid::kDate: case oid::kInterval:
      return false;
    default:
      return true;
  }
}

void text_forms(heliosdb::Result& r, const heliosdb::Session& session) {
  for (size_t c = 0; c < r.columns().size(); ++c) {
    if (!text_form(r.columns()[c].type_oid)) continue;
    for (auto& row : r.rows())
      if (!row[c].is_null()) row[c] = heliosdb::Value::of(oid::kUnknownType, session.to_text(row[c]));
  }
}

Napi::Value to_js(Napi::Env env, const heliosdb::Value& v, const RowOptions& opt) {
  if (v.is_null()) return env.Null();
  switch (v.type()) {
    case oid::kBool: return Napi::Boolean::New(env, v.as_bool());
    case oid::kInt2: case oid::kInt4: case oid::kOid: return Napi::Number::New(env, double(v.as_int()));
    case oid::kInt8:
      if (opt.bigint) return Napi::BigInt::New(env, v.as_int());
      return Napi::String::New(env, std::to_string(v.as_int()));
    case oid::kFloat4: case oid::kFloat8: return Napi::Number::New(env, v.as_double());
    case oid::kNumeric: case oid::kText: case oid::kVarchar: case oid::kBpchar: case oid::kName:
    case oid::kUnknownType:
      return Napi::String::New(env, v.as_string());
    case oid::kJson: case oid::kJsonb:
      return data(env).json_parse.Call({Napi::String::New(env, v.as_string())});
    case oid::kBytea: return Napi::Buffer<char>::Copy(env, v.as_string().data(), v.as_string().size());
    case oid::kTimestamptz: {
      int64_t us = v.as_int();
      if (us == INT64_MAX) return Napi::Number::New(env, INFINITY);
      if (us == INT64_MIN) return Napi::Number::New(env, -INFINITY);
      double ms = double(floor_div(us, 1000)) + double(kPgEpochDays) * 86400000.0;
      return Napi::Date::New(env, ms);
    }
    case oid::kTimestamp: {
      int64_t us = v.as_int();
      if (us == INT64_MAX) return Napi::Number::New(env, INFINITY);
      if (us == INT64_MIN) return Napi::Number::New(env, -INFINITY);
      return local_date(env, us);
    }
    case oid::kDate: {
      int64_t days = v.as_int();
      if (days == INT32_MAX) return Napi::Number::New(env, INFINITY);
      if (days == INT32_MIN) return Napi::Number::New(env, -INFINITY);
      return local_date(env, days * kUsecPerDay);
    }
    case oid::kInterval: return interval(env, v.as_interval());
    default: throw Napi::Error::New(env, "internal error: a value without a JavaScript form");
  }
}

// node-postgres's result shape: command and rowCount from the tag, rows, fields.
Napi::Value to_js(Napi::Env env, const heliosdb::Result& r, const RowOptions& opt) {
  auto out = Napi::Object::New(env);
  const std::string& tag = r.command_tag();
  size_t sp = tag.find(' ');
  out.Set("command", tag.substr(0, sp));
  // The last number of the tag ("INSERT 0 5" -> 5, "SELECT 3" -> 3); null when the tag has none.
  size_t last = tag.find_last_of(' ');
  bool counted = last != std::string::npos && last + 1 < tag.size() &&
                 tag.find_first_not_of("0123456789", last + 1) == std::string::npos;
  out.Set("rowCount", counted ? Napi::Value(Napi::Number::New(env, std::stod(tag.substr(last + 1)))) : env.Null());
  const auto& cols = r.columns();
  auto fields = Napi::Array::New(env, cols.size());
  std::vector<Napi::String> names;
  names.reserve(cols.size());
  for (size_t c = 0; c < cols.size(); ++c) {
    auto f = Napi::Object::New(env);
    names.push_back(Napi::String::New(env, cols[c].name));
    f.Set("name", names.back());
    f.Set("tableID", Napi::Number::New(env, cols[c].table_oid));
    f.Set("columnID", Napi::Number::New(env, cols[c].column_number));
    f.Set("dataTypeID", Napi::Number::New(env, cols[c].type_oid));
    f.Set("dataTypeSize", Napi::Number::New(env, type_size(cols[c].type_oid)));
    f.Set("dataTypeModifier", Napi::Number::New(env, cols[c].typmod));
    f.Set("format", "text");
    fields.Set(uint32_t(c), f);
  }
  out.Set("fields", fields);
  auto rows = Napi::Array::New(env, r.rows().size());
  uint32_t i = 0;
  for (const auto& row : r.rows()) {
    if (opt.array_rows) {
      auto a = Napi::Array::New(env, row.size());
      for (size_t c = 0; c < row.size(); ++c) a.Set(uint32_t(c), to_js(env, row[c], opt));
      rows.Set(i++, a);
    } else {
      auto o = Napi::Object::New(env);
      for (size_t c = 0; c < row.size(); ++c) o.Set(names[c], to_js(env, row[c], opt));
      rows.Set(i++, o);
    }
  }
  out.Set("rows", rows);
  return out;
}

// ---- JavaScript to parameters: lib/index.js has already made every value text, a Buffer or null ----

heliosdb::Params to_params(const Napi::Value& v) {
  heliosdb::Params out;
  if (v.IsUndefined() || v.IsNull()) return out;
  if (!v.IsArray()) throw Napi::TypeError::New(v.Env(), "params must be an array");
  auto a = v.As<Napi::Array>();
  out.reserve(a.Length());
  for (uint32_t i = 0; i < a.Length(); ++i) {
    Napi::Value p = a.Get(i);
    if (p.IsNull() || p.IsUndefined()) out.emplace_back(nullptr);
    else if (p.IsBuffer()) {
      auto b = p.As<Napi::Buffer<char>>();
      out.emplace_back(heliosdb::Value::of(oid::kBytea, std::string(b.Data(), b.Length())));
    } else out.emplace_back(p.ToString().Utf8Value());
  }
  return out;
}

RowOptions row_options(const Napi::Value& v) {
  RowOptions o;
  if (!v.IsObject()) return o;
  auto obj = v.As<Napi::Object>();
  o.array_rows = obj.Get("rowMode").IsString() && obj.Get("rowMode").As<Napi::String>().Utf8Value() == "array";
  o.bigint = obj.Get("bigint").ToBoolean();
  return o;
}

// [[name, value], ...] -> option pairs (lib/index.js turns its option objects into these).
std::vector<std::pair<std::string, std::string>> to_options(const Napi::Value& v) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!v.IsArray()) return out;
  auto a = v.As<Napi::Array>();
  for (uint32_t i = 0; i < a.Length(); ++i) {
    Napi::Value pair = a.Get(i);
    if (!pair.IsArray()) throw Napi::TypeError::New(v.Env(), "options must be [name, value] pairs");
    out.emplace_back(pair.As<Napi::Array>().Get(0u).ToString().Utf8Value(),
                     pair.As<Napi::Array>().Get(1u).ToString().Utf8Value());
  }
  return out;
}

// ---- classes ----

// One session's operations, run in submission order on a thread of its own. The thread spins
// briefly for the next operation before it sleeps, and the main thread may wait a few
// microseconds for a quick result before it goes back to the event loop: a cross-thread wakeup
// costs more than a point query, so a sequence of awaited queries would otherwise pay two per
// call. Completions go back through one thread-safe function, which drains many per wakeup.
class SessionWorker : public std::enable_shared_from_this<SessionWorker> {
 public:
  enum Kind { kQuery, kExecute, kPrepare, kStop };
  struct Op {
    Kind kind = kQuery;
    std::string sql;
    heliosdb::Params params;
    RowOptions options;
    heliosdb::Result result;
    std::vector<uint32_t> param_types;
    std::optional<heliosdb::Error> error;
    char status = 'I';                  // the session's transaction status after the operation
    napi_deferred deferred = nullptr;   // none for a stop the main thread does not wait for
    std::shared_ptr<SessionWorker> worker;  // keeps the worker alive until the result is delivered
    // kPending -> kDone (the worker finished first) or kAsync (the main thread stopped waiting).
    std::atomic<int> state{kPending};
    static constexpr int kPending = 0, kDone = 1, kAsync = 2;
  };

  static std::shared_ptr<SessionWorker> start(Napi::Env env, heliosdb::Session session) {
    auto w = std::shared_ptr<SessionWorker>(new SessionWorker(std::move(session)));
    napi_value name = Napi::String::New(env, "heliosdb session");
    napi_status st = napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr, nullptr,
                                                     &SessionWorker::deliver, &w->tsfn_);
    if (st != napi_ok) throw Napi::Error::New(env, "could not create a thread-safe function");
    napi_unref_threadsafe_function(env, w->tsfn_);  // idle sessions do not keep Node alive
    std::thread([w] { w->loop(); }).detach();
    return w;
  }

  // Main thread. Queues an operation; its promise settles when it has run.
  Napi::Value submit(Napi::Env env, std::unique_ptr<Op> op) {
    if (stopping_) throw Napi::Error::New(env, "the session is closed");
    napi_value promise;
    napi_create_promise(env, &op->deferred, &promise);
    op->worker = shared_from_this();
    if (in_flight_++ == 0) napi_ref_threadsafe_function(env, tsfn_);
    bool alone = in_flight_ == 1;
    if (op->kind == kStop) stopping_ = true;
    Op* raw = op.release();
    {
      std::lock_guard lock(mu_);
      queue_.push_back(raw);
      queued_.fetch_add(1, std::memory_order_release);
      if (sleeping_) cv_.notify_one();
    }
    // The only operation in flight (an awaited call): wait briefly for it rather than paying
    // for the worker to wake the event loop.
    if (alone && raw->kind != kStop) {
      auto until = std::chrono::steady_clock::now() + kMainWait;
      while (raw->state.load(std::memory_order_acquire) == Op::kPending && std::chrono::steady_clock::now() < until)
        pause();
    }
    int expected = Op::kPending;
    if (!raw->state.compare_exchange_strong(expected, Op::kAsync, std::memory_order_acq_rel)) {
      settle(env, std::unique_ptr<Op>(raw));  // finished: settle now; the worker will not deliver it
    }
    return Napi::Value(env, promise);
  }

 private:
  static constexpr auto kMainWait = std::chrono::microseconds(40);
  static constexpr auto kWorkerSpin = std::chrono::microseconds(200);

  explicit SessionWorker(heliosdb::Session session) : session_(std::move(session)) {}

  static void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

  void loop() {
    for (;;) {
      auto until = std::chrono::steady_clock::now() + kWorkerSpin;
      // Yielding while it waits: on a small machine the main thread may need this core.
      while (queued_.load(std::memory_order_acquire) == 0 && std::chrono::steady_clock::now() < until)
        std::this_thread::yield();
      Op* op;
      {
        std::unique_lock lock(mu_);
        while (queue_.empty()) {
          sleeping_ = true;
          cv_.wait(lock);
          sleeping_ = false;
        }
        op = queue_.front();
        queue_.pop_front();
        queued_.fetch_sub(1, std::memory_order_relaxed);
      }
      bool stop = op->kind == kStop;
      run(*op);
      int expected = Op::kPending;
      if (!op->deferred) delete op;
      else if (!op->state.compare_exchange_strong(expected, Op::kDone, std::memory_order_acq_rel))
        napi_call_threadsafe_function(tsfn_, op, napi_tsfn_nonblocking);  // the main thread went back to its loop
      if (stop) {
        napi_release_threadsafe_function(tsfn_, napi_tsfn_release);
        return;
      }
    }
  }

  void run(Op& op) {
    try {
      switch (op.kind) {
        case kQuery:
          op.result = session_->execute(op.sql, op.params);
          text_forms(op.result, *session_);
          break;
        case kExecute:
          op.result = session_->execute(statement(op.sql), op.params);
          text_forms(op.result, *session_);
          break;
        case kPrepare: op.param_types = statement(op.sql).parameter_types(); break;
        case kStop:
          statements_.clear();
          session_.reset();  // an open transaction rolls back
          break;
      }
    } catch (const heliosdb::Error& e) {
      op.error = e;
    } catch (const std::bad_alloc&) {
      op.error = heliosdb::Error("53200", "out of memory");
    } catch (const std::exception& e) {
      op.error = heliosdb::Error("XX000", e.what());
    }
    op.params.clear();
    if (session_) op.status = session_->transaction_status();
  }

  // This session's prepared statement for sql, prepared on first use.
  const heliosdb::PreparedStatement& statement(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) it = statements_.emplace(sql, session_->prepare(sql)).first;
    return it->second;
  }

  static void deliver(napi_env env, napi_value, void*, void* data) {
    std::unique_ptr<Op> op(static_cast<Op*>(data));
    if (env) settle(Napi::Env(env), std::move(op));
  }

  // Main thread: resolves or rejects the operation's promise.
  static void settle(Napi::Env env, std::unique_ptr<Op> op) {
    Napi::HandleScope scope(env);
    auto worker = std::move(op->worker);
    worker->status_ = op->status;
    napi_value value;
    bool ok = !op->error;
    if (ok) {
      try {
        if (op->kind == kPrepare) {
          auto types = Napi::Array::New(env, op->param_types.size());
          for (size_t i = 0; i < op->param_types.size(); ++i) types.Set(uint32_t(i), op->param_types[i]);
          value = types;
        } else if (op->kind == kStop) {
          value = env.Undefined();
        } else {
          value = to_js(env, op->result, op->options);
        }
      } catch (const Napi::Error& e) {
        ok = false;
        value = e.Value();
      }
    } else {
      value = js_error(env, *op->error).Value();
    }
    if (ok) napi_resolve_deferred(env, op->deferred, value);
    else napi_reject_deferred(env, op->deferred, value);
    if (--worker->in_flight_ == 0 && op->kind != kStop) napi_unref_threadsafe_function(env, worker->tsfn_);
  }

  std::optional<heliosdb::Session> session_;  // the worker thread's
  std::unordered_map<std::string, heliosdb::PreparedStatement> statements_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Op*> queue_;
  std::atomic<size_t> queued_{0};
  bool sleeping_ = false;
  napi_threadsafe_function tsfn_ = nullptr;
  int in_flight_ = 0;      // main thread
  bool stopping_ = false;  // main thread

 public:
  char status_ = 'I';      // main thread: the status after the last settled operation

  // Main thread, from a finalizer: stops the worker without a promise.
  void stop_detached() {
    if (stopping_) return;
    stopping_ = true;
    auto* op = new Op();
    op->kind = kStop;
    std::lock_guard lock(mu_);
    queue_.push_back(op);
    queued_.fetch_add(1, std::memory_order_release);
    if (sleeping_) cv_.notify_one();
  }
};

class Session final : public Napi::ObjectWrap<Session> {
 public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "NativeSession",
                       {InstanceMethod<&Session::run>("run"), InstanceMethod<&Session::close>("close"),
                        InstanceMethod<&Session::status>("status")});
  }
  explicit Session(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Session>(info) {}
  ~Session() override {
    if (worker_ && !closed_) worker_->stop_detached();
  }
  void attach(Napi::Env env, heliosdb::Session s) { worker_ = SessionWorker::start(env, std::move(s)); }

 private:
  std::shared_ptr<SessionWorker> worker_;
  bool closed_ = false;

  SessionWorker& worker(Napi::Env env) {
    if (!worker_ || closed_) throw Napi::Error::New(env, "the session is closed");
    return *worker_;
  }

  // run(kind, sql, params, {rowMode, bigint}) -> Promise: kind 0 runs sql, 1 runs it as this
  // session's prepared statement (prepared on first use), 2 prepares it (-> parameter types).
  Napi::Value run(const Napi::CallbackInfo& info) {
    auto& w = worker(info.Env());
    auto op = std::make_unique<SessionWorker::Op>();
    int kind = info[0].ToNumber().Int32Value();
    if (kind < 0 || kind > 2) throw Napi::TypeError::New(info.Env(), "unknown operation");
    op->kind = static_cast<SessionWorker::Kind>(kind);
    op->sql = info[1].ToString().Utf8Value();
    op->params = to_params(info[2]);
    op->options = row_options(info[3]);
    return w.submit(info.Env(), std::move(op));
  }

  // 'I', 'T' or 'E' after the last operation that has settled.
  Napi::Value status(const Napi::CallbackInfo& info) {
    return Napi::String::New(info.Env(), std::string(1, worker(info.Env()).status_));
  }

  // Ends the session after the operations already queued (an open transaction rolls back).
  Napi::Value close(const Napi::CallbackInfo& info) {
    if (!worker_ || closed_) {
      auto done = Napi::Promise::Deferred::New(info.Env());
      done.Resolve(info.Env().Undefined());
      return done.Promise();
    }
    closed_ = true;
    auto op = std::make_unique<SessionWorker::Op>();
    op->kind = SessionWorker::kStop;
    return worker_->submit(info.Env(), std::move(op));
  }
};

class Server final : public Napi::ObjectWrap<Server> {
 public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "NativeServer",
                       {InstanceMethod<&Server::close>("close"), InstanceAccessor<&Server::port>("port")});
  }
  explicit Server(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Server>(info) {}
  std::shared_ptr<heliosdb::pgwire::Server> server;

 private:
  Napi::Value port(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), server ? server->port() : 0);
  }
  Napi::Value close(const Napi::CallbackInfo& info) {
    auto s = std::move(server);
    server.reset();
    return Task::run(
        info.Env(),
        [s]() mutable {
          if (s) s->stop();
          s.reset();
        },
        [](Napi::Env env) { return env.Undefined(); });
  }
};

class Database final : public Napi::ObjectWrap<Database> {
 public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "NativeDatabase",
                       {StaticMethod<&Database::open>("open"), InstanceMethod<&Database::session>("session"),
                        InstanceMethod<&Database::listen>("listen"), InstanceMethod<&Database::close>("close")});
  }
  explicit Database(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Database>(info) {}

 private:
  std::optional<heliosdb::Database> db_;

  heliosdb::Database& db(Napi::Env env) {
    if (!db_) throw Napi::Error::New(env, "the database is closed");
    return *db_;
  }

  // open(path | ':memory:', [[option, value], ...]) -> Promise<NativeDatabase>
  static Napi::Value open(const Napi::CallbackInfo& info) {
    std::string path = info[0].ToString().Utf8Value();
    auto options = to_options(info[1]);
    auto opened = std::make_shared<std::optional<heliosdb::Database>>();
    return Task::run(
        info.Env(),
        [path, options, opened] {
          heliosdb::Options o;
          for (const auto& [k, v] : options) heliosdb::set_option(o, k, v);
          *opened = path == ":memory:" ? heliosdb::Database::open_in_memory(o) : heliosdb::Database::open(path, o);
        },
        [opened](Napi::Env env) -> Napi::Value {
          auto obj = data(env).database.New({});
          Database::Unwrap(obj)->db_ = std::move(*opened);
          opened->reset();
          return obj;
        });
  }

  Napi::Value session(const Napi::CallbackInfo& info) {
    auto obj = data(info.Env()).session.New({});
    Session::Unwrap(obj)->attach(info.Env(), db(info.Env()).session());
    return obj;
  }

  // listen([[option, value], ...]) -> Promise<NativeServer>
  Napi::Value listen(const Napi::CallbackInfo& info) {
    auto d = db(info.Env());
    auto options = to_options(info[0]);
    auto server = std::make_shared<std::shared_ptr<heliosdb::pgwire::Server>>();
    return Task::run(
        info.Env(),
        [d, options, server] {
          heliosdb::pgwire::ServerOptions o;
          o.port = 0;
          for (const auto& [k, v] : options) heliosdb::pgwire::set_server_option(o, k, v);
          auto s = std::make_shared<heliosdb::pgwire::Server>(d, o);
          s->start();
          *server = std::move(s);
        },
        [server](Napi::Env env) -> Napi::Value {
          auto obj = data(env).server.New({});
          Server::Unwrap(obj)->server = std::move(*server);
          return obj;
        });
  }

  // Gives up this handle; the files close on a worker thread once no session holds them.
  Napi::Value close(const Napi::CallbackInfo& info) {
    auto d = std::move(db_);
    db_.reset();
    return Task::run(info.Env(), [d = std::move(d)]() mutable { d.reset(); },
                     [](Napi::Env env) { return env.Undefined(); });
  }
};

// setHelpers({localDate, jsonParse}): JavaScript functions the value conversion calls.
Napi::Value set_helpers(const Napi::CallbackInfo& info) {
  auto h = info[0].As<Napi::Object>();
  data(info.Env()).local_date = Napi::Persistent(h.Get("localDate").As<Napi::Function>());
  data(info.Env()).json_parse = Napi::Persistent(h.Get("jsonParse").As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  auto* d = new AddonData();
  env.SetInstanceData(d);
  auto database = Database::define(env), session = Session::define(env), server = Server::define(env);
  d->database = Napi::Persistent(database);
  d->session = Napi::Persistent(session);
  d->server = Napi::Persistent(server);
  exports.Set("Database", database);
  exports.Set("setHelpers", Napi::Function::New(env, set_helpers));
  exports.Set("version", Napi::String::New(env, heliosdb::version()));
  return exports;
}

}  // namespace

NODE_API_MODULE(heliosdb, init)
