// attach_tracer does what a hostile (or confused) program may do: it reads its
// own TracerPid and attaches to that task with PTRACE_SEIZE + PTRACE_INTERRUPT.
// Under ExitLens that task is the tracer thread: stopped by its own tracee, both
// would wait for each other forever. It prints "attach: ok" or "attach: ERRNO"
// (EPERM when ExitLens prevented it), waits a moment and exits 0.
package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	ptraceSeize     = 0x4206
	ptraceInterrupt = 0x4207
)

func tracerPid() int {
	file, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer file.Close()
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		if line := scanner.Text(); strings.HasPrefix(line, "TracerPid:") {
			pid, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "TracerPid:")))
			return pid
		}
	}
	return 0
}

func main() {
	runtime.LockOSThread() // ptrace requests belong to the thread that attached
	pid := tracerPid()
	if pid == 0 {
		fmt.Println("attach: not traced")
		os.Exit(0)
	}
	if _, _, errno := syscall.Syscall6(syscall.SYS_PTRACE, ptraceSeize, uintptr(pid), 0, 0, 0, 0); errno != 0 {
		fmt.Printf("attach: %s\n", errnoName(errno))
		os.Exit(0)
	}
	syscall.Syscall6(syscall.SYS_PTRACE, ptraceInterrupt, uintptr(pid), 0, 0, 0, 0)
	fmt.Println("attach: ok")
	time.Sleep(2 * time.Second)
}

func errnoName(errno syscall.Errno) string {
	switch errno {
	case syscall.EPERM:
		return "EPERM"
	case syscall.ESRCH:
		return "ESRCH"
	default:
		return errno.Error()
	}
}
