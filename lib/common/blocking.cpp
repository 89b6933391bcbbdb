#include "common/blocking.h"

namespace heliosdb {

namespace {
thread_local const BlockingHooks* t_hooks = nullptr;
}  // namespace

void set_thread_blocking_hooks(const BlockingHooks* hooks) { t_hooks = hooks; }

BlockingWait::BlockingWait() : hooks_(t_hooks) {
  if (hooks_ && hooks_->begin) hooks_->begin(hooks_->arg);
}

BlockingWait::~BlockingWait() {
  if (hooks_ && hooks_->end) hooks_->end(hooks_->arg);
}

}  // namespace heliosdb
