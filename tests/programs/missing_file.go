// missing_file reads "config.json" from the current directory. When it is
// absent it prints "missing_file: open config.json: no such file or
// directory" to stderr and exits 1. Tests assert that ExitLens links the exit
// to the failed open/openat of config.json (ENOENT) as the probable cause.
package main

import (
	"fmt"
	"os"
)

func main() {
	data, err := os.ReadFile("config.json")
	if err != nil {
		fmt.Fprintln(os.Stderr, "missing_file:", err)
		os.Exit(1)
	}
	fmt.Printf("read %d bytes of configuration\n", len(data))
}
