// A thread that is about to wait for another transaction (a row lock, an advisory lock) says so.
// A host that runs many sessions on a few threads (the pgwire listener) uses it to put another
// thread to work at once, so the session being waited for is not itself left waiting for a
// thread.
#pragma once

namespace heliosdb {

struct BlockingHook {
  void (*call)(void* arg) = nullptr;
  void* arg = nullptr;
};

// The hook of the calling thread (nullptr: none). The pointee must outlive its use.
void set_thread_blocking_hook(const BlockingHook* hook);

// Calls the thread's hook, if it has one: the thread is about to wait.
void about_to_wait();

}  // namespace heliosdb
