// file_churn keeps a capture busy for a while: "file_churn DIR SECONDS" (DIR absolute and
// existing) creates, stats, renames and removes files in DIR in a loop for SECONDS seconds,
// stats a missing name on every round (an ENOENT a session must keep), prints a progress line to
// stderr every 200 rounds, and exits 0. Session tests SIGKILL the ExitLens capturing it.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

func main() {
	if len(os.Args) != 3 || !filepath.IsAbs(os.Args[1]) {
		fmt.Fprintln(os.Stderr, "usage: file_churn /absolute/existing/dir SECONDS")
		os.Exit(2)
	}
	dir := os.Args[1]
	seconds, err := strconv.Atoi(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "file_churn: bad SECONDS:", err)
		os.Exit(2)
	}
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	payload := []byte("file_churn payload\n")
	for round := 0; time.Now().Before(deadline); round++ {
		f := filepath.Join(dir, "f_"+strconv.Itoa(round%50))
		r := filepath.Join(dir, "r_"+strconv.Itoa(round%50))
		if err := os.WriteFile(f, payload, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "file_churn:", err)
			os.Exit(1)
		}
		os.Stat(f)
		os.Stat(filepath.Join(dir, "missing"))
		os.Rename(f, r)
		os.Remove(r)
		if round%200 == 0 {
			fmt.Fprintf(os.Stderr, "round %d\n", round)
		}
	}
	fmt.Println("done")
}
