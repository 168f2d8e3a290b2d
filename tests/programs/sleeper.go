// sleeper prints "ready" to stdout and sleeps 30 s, then exits 0. With the
// "handle" argument it installs a SIGTERM/SIGINT handler that prints
// "got <signal>, shutting down" to stderr and exits 7. Tests use it to check
// that ExitLens forwards signals and Ctrl-C/stop requests to the traced
// program: without a handler it dies by the signal, with one it exits 7.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "handle" {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGTERM, syscall.SIGINT)
		go func() {
			s := <-ch
			name := "SIGTERM"
			if s == syscall.SIGINT {
				name = "SIGINT"
			}
			fmt.Fprintf(os.Stderr, "got %s, shutting down\n", name)
			os.Exit(7)
		}()
	}
	fmt.Println("ready") // os.Stdout is unbuffered: written immediately
	time.Sleep(30 * time.Second)
}
