// child_crash re-executes itself as a child ("child" argument) with
// GOTRACEBACK=crash added to the environment. The child dereferences a nil
// pointer; with GOTRACEBACK=crash the runtime aborts it with SIGABRT. The
// parent then prints "child failed: <err>" to stderr and exits 1. Tests
// assert that ExitLens follows the child, reports its death by SIGABRT after
// a nil dereference, and attributes the parent's exit 1 to the child failure.
package main

import (
	"fmt"
	"os"
	"os/exec"
)

type record struct{ x int }

var current *record

func child() {
	fmt.Println("child: reading record")
	fmt.Println("child: x =", current.x) // nil pointer dereference
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		child()
		return
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "child_crash:", err)
		os.Exit(1)
	}
	cmd := exec.Command(self, "child")
	cmd.Env = append(os.Environ(), "GOTRACEBACK=crash")
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "child failed:", err)
		os.Exit(1)
	}
	fmt.Println("child succeeded unexpectedly")
}
