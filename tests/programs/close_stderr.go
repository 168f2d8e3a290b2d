// close_stderr exercises "last words" written to a stderr that is not the
// terminal. Mode "close": closes fd 2, then tries to print
// "last words: cannot reach database" to stderr (the write fails with EBADF)
// and exits 5. Mode "redirect FILE": dup2s FILE (created/truncated) onto fd 2,
// writes the same line to stderr and exits 4. Tests assert that ExitLens still
// captures the attempted last words from the write syscall in both cases,
// reporting the EBADF failure and the redirection target respectively. Mode
// "baddup": dup2s fd 99 (not open) onto fd 2, which fails with EBADF, and exits 6.
package main

import (
	"fmt"
	"os"
	"syscall"
)

const lastWords = "last words: cannot reach database"

func main() {
	if len(os.Args) < 2 {
		fmt.Println("usage: close_stderr close | redirect FILE | baddup")
		os.Exit(64)
	}
	switch os.Args[1] {
	case "close":
		syscall.Close(2)
		fmt.Fprintln(os.Stderr, lastWords) // fails with EBADF
		os.Exit(5)
	case "redirect":
		if len(os.Args) < 3 {
			fmt.Println("usage: close_stderr redirect FILE")
			os.Exit(64)
		}
		f, err := os.OpenFile(os.Args[2], os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			fmt.Println("close_stderr:", err)
			os.Exit(64)
		}
		if err := syscall.Dup2(int(f.Fd()), 2); err != nil {
			fmt.Println("close_stderr: dup2:", err)
			os.Exit(64)
		}
		f.Close()
		os.Stderr.Write([]byte(lastWords + "\n"))
		os.Exit(4)
	case "baddup":
		err := syscall.Dup2(99, 2)
		fmt.Println("close_stderr: dup2 of fd 99:", err)
		os.Exit(6)
	default:
		fmt.Println("close_stderr: unknown mode", os.Args[1])
		os.Exit(64)
	}
}
