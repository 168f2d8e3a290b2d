// ptrace_floor: the least a ptrace-based tracer that follows every child can cost.
//
//     ptrace_floor [--stop-on SYSCALL,...] -- PROGRAM [ARGS...]
//
// A reference point for bench/run_bench.py, not a tool: it runs PROGRAM traced the way ExitLens
// does (PTRACE_TRACEME, then fork, vfork, clone and exec followed with ptrace options and
// PTRACE_O_EXITKILL) but records nothing and resumes every stop at once, with no syscall of its own
// besides waitpid and PTRACE_CONT. With --stop-on, a seccomp filter also stops PROGRAM's tree at
// the entry of the named syscalls (execve,clone: the stops ExitLens's process class cannot do
// without). Its time over an untraced run is what the kernel's stops and the scheduler's round
// trips cost on this machine, whatever a tracer does with them. Exits with PROGRAM's status.
#define _GNU_SOURCE
#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static int installFilter(char* names)
{
    scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ALLOW);
    if (!filter)
        return -1;
    for (char* name = strtok(names, ","); name; name = strtok(NULL, ",")) {
        const int number = seccomp_syscall_resolve_name(name);
        if (number == __NR_SCMP_ERROR || seccomp_rule_add(filter, SCMP_ACT_TRACE(0), number, 0) != 0) {
            seccomp_release(filter);
            return -1;
        }
    }
    const int rc = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 ? seccomp_load(filter) : -1;
    seccomp_release(filter);
    return rc;
}

int main(int argc, char** argv)
{
    char* stopOn = NULL;
    int first = 1;
    if (first + 1 < argc && strcmp(argv[first], "--stop-on") == 0) {
        stopOn = argv[first + 1];
        first += 2;
    }
    if (first < argc && strcmp(argv[first], "--") == 0)
        ++first;
    if (first >= argc) {
        fprintf(stderr, "usage: ptrace_floor [--stop-on SYSCALL,...] -- PROGRAM [ARGS...]\n");
        return 125;
    }

    const pid_t root = fork();
    if (root < 0) {
        perror("ptrace_floor: fork");
        return 125;
    }
    if (root == 0) {
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        raise(SIGSTOP); // wait for the options, like ExitLens's launcher
        if (stopOn && installFilter(stopOn) != 0)
            _exit(125);
        execvp(argv[first], argv + first);
        _exit(errno == ENOENT ? 127 : 126);
    }

    int status = 0;
    if (waitpid(root, &status, __WALL) != root || !WIFSTOPPED(status)) {
        fprintf(stderr, "ptrace_floor: the child did not stop\n");
        return 125;
    }
    const long options = PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC
        | PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL;
    if (ptrace(PTRACE_SETOPTIONS, root, NULL, (void*)options) != 0) {
        perror("ptrace_floor: PTRACE_SETOPTIONS");
        return 125;
    }
    ptrace(PTRACE_CONT, root, NULL, NULL);

    int rootStatus = 125;
    for (;;) {
        const pid_t tid = waitpid(-1, &status, __WALL);
        if (tid < 0) {
            if (errno == EINTR)
                continue;
            break; // ECHILD: the whole tree is gone
        }
        if (WIFEXITED(status) || WIFSIGNALED(status)) {
            if (tid == root)
                rootStatus = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            continue;
        }
        // Event stops (status >> 16) and a new task's SIGSTOP are ptrace's own; any other signal
        // stop is a delivery the program must still get.
        const int signal = WSTOPSIG(status);
        const int deliver = (status >> 16) != 0 || signal == SIGTRAP || signal == SIGSTOP ? 0 : signal;
        ptrace(PTRACE_CONT, tid, NULL, (void*)(long)deliver);
    }
    return rootStatus;
}
