// panic calls loadSettings, which panics with an error value; the Go runtime
// prints "panic: settings: invalid port 70000" plus a goroutine trace to
// stderr and exits with status 2. Tests assert that ExitLens recognises a Go
// panic, extracts the message and the panicking function (main.loadSettings).
package main

import "fmt"

//go:noinline
func loadSettings() int {
	port := 70000
	if port > 65535 {
		panic(fmt.Errorf("settings: invalid port %d", port))
	}
	return port
}

func main() {
	fmt.Println("port:", loadSettings())
}
