// spawn_children runs three children one after the other and exits 0: /bin/true (another program,
// exits 0), /bin/false (another program, exits 1) and itself with the argument "child" (the same
// program, exits 0). Tests assert which exits stop the tracer at exit_group: every failing one and
// every one made by the launched program's own code, but not a clean exit of another program,
// whose peak memory still comes from wait().
package main

import (
	"fmt"
	"os"
	"os/exec"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		fmt.Println("child: done")
		return
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "spawn_children:", err)
		os.Exit(2)
	}
	for _, args := range [][]string{{"/bin/true"}, {"/bin/false"}, {self, "child"}} {
		err := exec.Command(args[0], args[1:]...).Run()
		fmt.Println(args[0], "->", err)
	}
}
