// exec_fail tries to run /nonexistent/helper-tool --version, prints the
// resulting error ("fork/exec /nonexistent/helper-tool: no such file or
// directory") to stderr and exits 1. Tests assert that ExitLens reports the
// failed execve (ENOENT) of the helper as the cause of the exit.
package main

import (
	"fmt"
	"os"
	"os/exec"
)

func main() {
	err := exec.Command("/nonexistent/helper-tool", "--version").Run()
	if err != nil {
		fmt.Fprintln(os.Stderr, "exec_fail:", err)
		os.Exit(1)
	}
	fmt.Println("helper ran unexpectedly")
}
