// syscall_heavy is a benchmark workload (not a test): "syscall_heavy DIR"
// creates 64 small files in DIR, then 8 goroutines each run 40,000
// open/read/close cycles over them (320,000 opens in total) and it prints the
// elapsed time and the number of opens. bench/run_bench.py uses it to measure
// ExitLens overhead on a program dominated by short file syscalls.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

const (
	files      = 64
	workers    = 8
	iterations = 40000
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: syscall_heavy DIR")
		os.Exit(2)
	}
	dir, err := filepath.Abs(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "syscall_heavy:", err)
		os.Exit(1)
	}
	start := time.Now()
	paths := make([]string, files)
	for i := range paths {
		paths[i] = filepath.Join(dir, "file_"+strconv.Itoa(i))
		data := []byte(fmt.Sprintf("file %d of syscall_heavy\n", i))
		if err := os.WriteFile(paths[i], data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "syscall_heavy:", err)
			os.Exit(1)
		}
	}

	var wg sync.WaitGroup
	counts := make([]int, workers)
	errs := make([]error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			buf := make([]byte, 64)
			for i := 0; i < iterations; i++ {
				f, err := os.Open(paths[(w+i)%files])
				if err != nil {
					errs[w] = err
					return
				}
				_, err = f.Read(buf)
				f.Close()
				if err != nil {
					errs[w] = err
					return
				}
				counts[w]++
			}
		}(w)
	}
	wg.Wait()
	total := 0
	for w := 0; w < workers; w++ {
		if errs[w] != nil {
			fmt.Fprintln(os.Stderr, "syscall_heavy:", errs[w])
			os.Exit(1)
		}
		total += counts[w]
	}
	fmt.Printf("opens: %d\nelapsed: %.3f s\n", total, time.Since(start).Seconds())
}
