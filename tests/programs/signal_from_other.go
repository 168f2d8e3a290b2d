// signal_from_other starts itself as a child ("child" plus the parent's pid).
// The parent prints "parent waiting" and sleeps up to 10 s without a signal
// handler; after 100 ms the child sends SIGTERM to the parent and exits 0, so
// the parent is killed by signal 15. Tests assert that ExitLens reports the
// SIGTERM death and identifies the sender as the traced child process.
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
	if len(os.Args) > 2 && os.Args[1] == "child" {
		ppid, err := strconv.Atoi(os.Args[2])
		if err != nil {
			os.Exit(2)
		}
		time.Sleep(100 * time.Millisecond)
		if err := syscall.Kill(ppid, syscall.SIGTERM); err != nil {
			fmt.Fprintln(os.Stderr, "child: kill:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "signal_from_other:", err)
		os.Exit(1)
	}
	cmd := exec.Command(self, "child", strconv.Itoa(os.Getpid()))
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "signal_from_other:", err)
		os.Exit(1)
	}
	fmt.Println("parent waiting")
	time.Sleep(10 * time.Second)
	fmt.Println("parent was not signalled")
}
