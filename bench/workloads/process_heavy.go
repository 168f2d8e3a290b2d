// process_heavy is a benchmark workload (not a test): it runs 300 short
// child processes (/bin/true) through os/exec, at most 4 at a time, and prints
// how many completed. bench/run_bench.py uses it to measure ExitLens overhead
// on fork/exec/wait-heavy programs, where per-process tracing costs dominate.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
)

const (
	total       = 300
	parallelism = 4
)

func main() {
	sem := make(chan struct{}, parallelism)
	var wg sync.WaitGroup
	var done, failed int64
	for i := 0; i < total; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := exec.Command("/bin/true").Run(); err != nil {
				atomic.AddInt64(&failed, 1)
				return
			}
			atomic.AddInt64(&done, 1)
		}()
	}
	wg.Wait()
	fmt.Println("processes:", done)
	if failed > 0 {
		fmt.Fprintln(os.Stderr, "process_heavy: failed runs:", failed)
		os.Exit(1)
	}
}
