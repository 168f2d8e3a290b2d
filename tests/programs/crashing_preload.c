/* An LD_PRELOAD library whose constructor crashes: every dynamically linked program started with
 * it dies of SIGSEGV before main. ExitLens must not be one of them (tst_cli). */
#include <signal.h>

__attribute__((constructor)) static void crashAtLoad(void)
{
    raise(SIGSEGV);
}
