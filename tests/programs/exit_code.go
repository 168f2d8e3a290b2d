// exit_code prints a message to stderr and exits with status 3 via os.Exit.
// Tests assert that ExitLens reports exit code 3 (not a signal) and shows the
// "exit_code: giving up" stderr line as the last output before the exit.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "exit_code: giving up")
	os.Exit(3)
}
