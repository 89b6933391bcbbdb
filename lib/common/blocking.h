// A thread that is about to wait for another transaction (a row lock, an advisory lock) says so
// for the length of the wait. A host that runs many sessions on a few threads (the pgwire
// listener) uses it to put another thread to work at once, so the session being waited for is
// not itself left waiting for a thread.
#pragma once

namespace heliosdb {

struct BlockingHooks {
  void (*begin)(void* arg) = nullptr;
  void (*end)(void* arg) = nullptr;
  void* arg = nullptr;
};

// The hooks of the calling thread (nullptr: none). The pointee must outlive their use.
void set_thread_blocking_hooks(const BlockingHooks* hooks);

// Calls the thread's begin hook now and its end hook when destroyed.
class BlockingWait {
 public:
  BlockingWait();
  ~BlockingWait();
  BlockingWait(const BlockingWait&) = delete;
  BlockingWait& operator=(const BlockingWait&) = delete;

 private:
  const BlockingHooks* hooks_;
};

}  // namespace heliosdb
