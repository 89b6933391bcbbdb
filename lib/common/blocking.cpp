#include "common/blocking.h"

namespace heliosdb {

namespace {
thread_local const BlockingHook* t_hook = nullptr;
}  // namespace

void set_thread_blocking_hook(const BlockingHook* hook) { t_hook = hook; }

void about_to_wait() {
  if (t_hook && t_hook->call) t_hook->call(t_hook->arg);
}

}  // namespace heliosdb
