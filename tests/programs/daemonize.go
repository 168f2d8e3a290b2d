// daemonize behaves like a program that starts a daemon the classic way: a
// double fork and setsid. "root PIDFILE LOG SECONDS" starts "middle" in a new
// session and waits for it; middle starts "daemon" and exits at once, so the
// daemon is re-parented out of the program's tree. The daemon writes its pid to
// PIDFILE, then for SECONDS stats "/" every 50 ms (a call ExitLens's filter
// stops on) and appends "alive" to LOG. A failed stat (ENOSYS: a seccomp filter
// left without its tracer) is written to LOG and ends it with code 3. The root
// exits 0 once middle has.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 5 {
		fmt.Fprintln(os.Stderr, "usage: daemonize root|middle|daemon PIDFILE LOG SECONDS")
		os.Exit(2)
	}
	role, pidFile, logFile, seconds := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	switch role {
	case "root":
		middle := exec.Command(self, "middle", pidFile, logFile, seconds)
		middle.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := middle.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "middle:", err)
			os.Exit(1)
		}
		fmt.Println("daemon started")
	case "middle":
		daemon := exec.Command(self, "daemon", pidFile, logFile, seconds)
		if err := daemon.Start(); err != nil {
			fmt.Fprintln(os.Stderr, "daemon:", err)
			os.Exit(1)
		}
	case "daemon":
		log, err := os.OpenFile(logFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			os.Exit(1)
		}
		if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
			os.Exit(1)
		}
		limit, _ := strconv.Atoi(seconds)
		deadline := time.Now().Add(time.Duration(limit) * time.Second)
		for time.Now().Before(deadline) {
			if _, err := os.Stat("/"); err != nil {
				fmt.Fprintf(log, "stat failed: %v\n", err)
				os.Exit(3)
			}
			fmt.Fprintln(log, "alive")
			time.Sleep(50 * time.Millisecond)
		}
	}
}
