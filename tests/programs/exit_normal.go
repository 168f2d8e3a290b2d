// exit_normal prints a greeting to stdout and exits with status 0.
// Tests use it as the baseline: ExitLens must report a clean, normal exit
// (code 0, no signal) and capture the single line of stdout.
package main

import "fmt"

func main() {
	fmt.Println("hello from exit_normal")
}
