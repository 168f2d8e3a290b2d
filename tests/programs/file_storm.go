// file_storm is the differential fixture: "file_storm DIR" (DIR absolute and
// existing) starts 3 child processes of itself ("child DIR/childN") and 8
// goroutines working in DIR/gN. Every worker creates its directory and then,
// 200 times, creates f_i, stats it, stats a missing name, opens and closes
// f_i, renames it to r_i and removes r_i, always using absolute paths. In
// total that is well over 10,000 file syscalls; the parent prints the total
// operation count and exits 0. Tests trace it with ExitLens and with strace
// and compare the recorded file syscalls (paths, results) byte for byte.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

const (
	children   = 3
	goroutines = 8
	iterations = 200
)

// work runs the fixed operation sequence in dir and returns the number of
// file operations performed (including the mkdir).
func work(dir string) (int, error) {
	if !filepath.IsAbs(dir) {
		return 0, fmt.Errorf("%s: not an absolute path", dir)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return 0, err
	}
	ops := 1
	payload := []byte("file_storm payload\n")
	for i := 0; i < iterations; i++ {
		f := filepath.Join(dir, "f_"+strconv.Itoa(i))
		r := filepath.Join(dir, "r_"+strconv.Itoa(i))
		missing := filepath.Join(dir, "missing_"+strconv.Itoa(i))
		if err := os.WriteFile(f, payload, 0o644); err != nil {
			return ops, err
		}
		if _, err := os.Stat(f); err != nil {
			return ops, err
		}
		if _, err := os.Stat(missing); !os.IsNotExist(err) {
			return ops, fmt.Errorf("stat %s: expected ENOENT, got %v", missing, err)
		}
		h, err := os.Open(f)
		if err != nil {
			return ops, err
		}
		h.Close()
		if err := os.Rename(f, r); err != nil {
			return ops, err
		}
		if err := os.Remove(r); err != nil {
			return ops, err
		}
		ops += 6
	}
	return ops, nil
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "child" {
		ops, err := work(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, "file_storm child:", err)
			os.Exit(1)
		}
		fmt.Println(ops)
		return
	}
	if len(os.Args) != 2 || !filepath.IsAbs(os.Args[1]) {
		fmt.Fprintln(os.Stderr, "usage: file_storm /absolute/existing/dir")
		os.Exit(2)
	}
	dir := os.Args[1]
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "file_storm:", err)
		os.Exit(1)
	}

	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	failed := false
	record := func(ops int, err error) {
		mu.Lock()
		defer mu.Unlock()
		total += ops
		if err != nil {
			fmt.Fprintln(os.Stderr, "file_storm:", err)
			failed = true
		}
	}

	for c := 0; c < children; c++ {
		cmd := exec.Command(self, "child", filepath.Join(dir, "child"+strconv.Itoa(c)))
		cmd.Stderr = os.Stderr
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := cmd.Output()
			if err != nil {
				record(0, fmt.Errorf("child %v: %v", cmd.Args, err))
				return
			}
			ops, err := strconv.Atoi(strings.TrimSpace(string(out)))
			record(ops, err)
		}()
	}
	for g := 0; g < goroutines; g++ {
		sub := filepath.Join(dir, "g"+strconv.Itoa(g))
		wg.Add(1)
		go func() {
			defer wg.Done()
			record(work(sub))
		}()
	}
	wg.Wait()
	if failed {
		os.Exit(1)
	}
	fmt.Println("total ops:", total)
}
