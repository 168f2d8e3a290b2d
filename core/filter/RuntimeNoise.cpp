#include "RuntimeNoise.h"

namespace exitlens {

RuntimeNoiseOp runtimeNoiseOp(std::string_view op)
{
    if (op == "rt_sigprocmask" || op == "sigaltstack" || op == "rt_sigreturn")
        return RuntimeNoiseOp::Yes;
    if (op == "tgkill" || op == "tkill")
        return RuntimeNoiseOp::IfSigurg;
    return RuntimeNoiseOp::No;
}

bool isRuntimeNoise(const Event& event, std::string_view op, std::string_view detail)
{
    if ((event.flags & EventFlag::RuntimeNoise) != 0 || event.cls == EventClass::Runtime)
        return true;
    if (event.kind != EventKind::Syscall || event.cls != EventClass::Signal || event.failed())
        return false;
    switch (runtimeNoiseOp(op)) {
    case RuntimeNoiseOp::Yes:
        return true;
    case RuntimeNoiseOp::IfSigurg:
        return detail.ends_with("SIGURG");
    case RuntimeNoiseOp::No:
        break;
    }
    return false;
}

} // namespace exitlens
