// COPY FROM's reading half on a thread of its own, for large loads: while the session's thread
// checks and writes the rows read before, this one splits the next lines into fields and reads
// them as the columns' types. Rows come out in batches in input order;
// the first error ends the reading and comes out after the rows before it, so the session
// reports errors in line order as a one-thread COPY does.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/copy.h"
#include "heliosdb/error.h"

namespace heliosdb::engine {

// Rows read, in input order.
struct CopyReaderBatch {
  std::vector<Row> rows;            // the first `count` of them (kept for the next batch to fill)
  size_t count = 0;
  std::vector<uint64_t> lines;      // its line number
  std::string text;                 // the lines (text formats), for messages
  std::vector<size_t> ends;         // where each row's line ends in text
  std::exception_ptr error;         // what stopped the reading, after these rows
  std::string_view line(size_t i) const {
    size_t begin = i ? ends[i - 1] : 0;
    return std::string_view(text).substr(begin, ends[i] - begin);
  }
};

class CopyReader {
 public:
  using Fields = std::vector<std::optional<std::string>>;
  using Batch = CopyReaderBatch;
  // read(fields, line, line number, row) makes a row; it throws with the error's context set. `scope` runs the thread's whole body (it sets what the session's thread has set).
  using Read = std::function<void(const Fields&, std::string_view, uint64_t, Row&)>;
  using Scope = std::function<void(const std::function<void()>&)>;
  // Sets the context of an error at the end of input (an unterminated line).
  using EndContext = std::function<void(Error&, const CopyParser&)>;
  CopyReader(std::unique_ptr<CopyParser> parser, Read read, Scope scope, EndContext end_context);
  ~CopyReader();  // stops and joins the thread
  CopyReader(const CopyReader&) = delete;
  CopyReader& operator=(const CopyReader&) = delete;

  void feed(std::string_view data);
  void finish();  // the input ended
  // Whether the queued input is more than the reader should be given before the session takes
  // some rows (feeding more would only use memory).
  bool full() const;
  // The next batch; false when none is ready (wait: only once every row has been read).
  bool next(Batch& out, bool wait);
  // Gives a written batch back, for the reader to fill again (without allocating its rows anew).
  void recycle(Batch&& done);

 private:
  void run();
  void emit(Batch& b);  // hands b to the session (waiting while many are queued)

  std::unique_ptr<CopyParser> parser_;
  Read read_;
  EndContext end_context_;
  mutable std::mutex mu_;
  std::condition_variable in_cv_, out_cv_;
  std::deque<std::string> in_;
  size_t in_bytes_ = 0;
  bool finished_ = false;  // no more input
  bool stop_ = false;      // the session gave up
  bool done_ = false;      // the thread read everything (or failed)
  std::deque<Batch> out_;
  std::vector<Batch> spare_;  // recycled
  std::thread thread_;
};

}  // namespace heliosdb::engine
