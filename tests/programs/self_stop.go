// self_stop writes its pid to the file named by its second argument, then stops
// itself: "stop" sends itself SIGSTOP; "tstp" first moves into a process group
// of its own (so the group is not orphaned and the kernel does not discard the
// signal), then sends itself SIGTSTP. Once continued (SIGCONT) it prints
// "continued" and exits 0. ExitLens must leave it stopped, as it would be untraced.
package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: self_stop stop|tstp PIDFILE")
		os.Exit(2)
	}
	signal := syscall.SIGSTOP
	if os.Args[1] == "tstp" {
		if err := syscall.Setpgid(0, 0); err != nil {
			fmt.Fprintln(os.Stderr, "setpgid:", err)
			os.Exit(1)
		}
		signal = syscall.SIGTSTP
	}
	if err := os.WriteFile(os.Args[2], []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := syscall.Kill(os.Getpid(), signal); err != nil {
		fmt.Fprintln(os.Stderr, "kill:", err)
		os.Exit(1)
	}
	fmt.Println("continued")
}
