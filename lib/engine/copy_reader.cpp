#include "engine/copy_reader.h"

#include "common/errors.h"

namespace heliosdb::engine {

namespace {
constexpr size_t kBatchRows = 512;
constexpr size_t kMaxBatches = 64;                // rows read ahead of the writer: ~32k
constexpr size_t kMaxQueuedInput = size_t{4} << 20;
struct Stopped {};
}  // namespace

CopyReader::CopyReader(std::unique_ptr<CopyParser> parser, Read read, Scope scope, EndContext end_context)
    : parser_(std::move(parser)), read_(std::move(read)), end_context_(std::move(end_context)) {
  thread_ = std::thread([this, scope = std::move(scope)] { scope([this] { run(); }); });
}

CopyReader::~CopyReader() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  in_cv_.notify_all();
  out_cv_.notify_all();
  thread_.join();
}

void CopyReader::feed(std::string_view data) {
  {
    std::lock_guard lock(mu_);
    in_.emplace_back(data);
    in_bytes_ += data.size();
  }
  in_cv_.notify_one();
}

void CopyReader::finish() {
  {
    std::lock_guard lock(mu_);
    finished_ = true;
  }
  in_cv_.notify_one();
}

bool CopyReader::full() const {
  std::lock_guard lock(mu_);
  return in_bytes_ > kMaxQueuedInput;
}

bool CopyReader::next(Batch& out, bool wait) {
  std::unique_lock lock(mu_);
  if (wait) out_cv_.wait(lock, [&] { return !out_.empty() || done_; });
  if (out_.empty()) return false;
  out = std::move(out_.front());
  out_.pop_front();
  lock.unlock();
  out_cv_.notify_all();  // the reader may wait for room
  return true;
}

void CopyReader::recycle(Batch&& done) {
  std::lock_guard lock(mu_);
  spare_.push_back(std::move(done));
}

void CopyReader::emit(Batch& b) {
  std::unique_lock lock(mu_);
  out_cv_.wait(lock, [&] { return stop_ || out_.size() < kMaxBatches; });
  if (stop_) throw Stopped{};
  out_.push_back(std::move(b));
  b = Batch{};
  if (!spare_.empty()) {
    b = std::move(spare_.back());
    spare_.pop_back();
    b.count = 0;
    b.lines.clear();
    b.text.clear();
    b.ends.clear();
    b.error = nullptr;
  }
  lock.unlock();
  out_cv_.notify_all();
}

void CopyReader::run() {
  Batch b;
  auto row = [&](const Fields& fields, std::string_view line) {
    if (b.count == b.rows.size()) b.rows.emplace_back();
    read_(fields, line, parser_->line(), b.rows[b.count]);
    ++b.count;
    b.lines.push_back(parser_->line());
    b.text.append(line);
    b.ends.push_back(b.text.size());
    if (b.count >= kBatchRows) emit(b);
  };
  try {
    try {
      for (;;) {
        std::string data;
        {
          std::unique_lock lock(mu_);
          in_cv_.wait(lock, [&] { return stop_ || finished_ || !in_.empty(); });
          if (stop_) return;
          if (in_.empty()) break;  // finished
          data = std::move(in_.front());
          in_.pop_front();
          in_bytes_ -= data.size();
        }
        parser_->feed(data, row);
      }
      try {
        parser_->finish(row);
      } catch (Error& e) {
        if (e.context().empty()) end_context_(e, *parser_);
        throw;
      }
    } catch (const Stopped&) {
      return;
    } catch (...) {
      b.error = std::current_exception();
    }
    emit(b);
  } catch (const Stopped&) {
    return;
  }
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  out_cv_.notify_all();
}

}  // namespace heliosdb::engine
