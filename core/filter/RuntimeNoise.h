#pragma once

#include "Event.h"

#include <string_view>

namespace exitlens {

// What the filter language's `noise` means (docs/filters.md): the Go runtime's own housekeeping,
// which says nothing about why a program exits and is hidden by default in the window.
//  - events the tracer flags EventFlag::RuntimeNoise (the scheduler's SIGURG preemption);
//  - the runtime class of full mode (futex, sched_yield, nanosleep, epoll_pwait, clock_gettime...);
//  - the signal-mask housekeeping every Go thread does (rt_sigprocmask, sigaltstack, rt_sigreturn)
//    and tgkill/tkill sending SIGURG, when they succeeded.
// A failed signal call is never noise: it may be the reason the program exits. The runtime class
// is noise failed or not: futex's EAGAIN and ETIMEDOUT are how it works.
enum class RuntimeNoiseOp : std::uint8_t {
    No,
    Yes,
    IfSigurg, // tgkill/tkill: noise when the signal sent (the detail's last word) is SIGURG
};

// The per-operation part, so an evaluator can decide it once per distinct op string and cache it.
RuntimeNoiseOp runtimeNoiseOp(std::string_view op);

// The whole test; op and detail are the event's interned strings.
bool isRuntimeNoise(const Event& event, std::string_view op, std::string_view detail);

} // namespace exitlens
