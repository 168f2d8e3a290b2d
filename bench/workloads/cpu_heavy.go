// cpu_heavy is a benchmark workload (not a test): 4 goroutines each hash a
// 64 KiB buffer with SHA-256 a fixed number of times (about 2 s in total on
// the 2-core reference machine, identical work on every run) and it prints a
// checksum. bench/run_bench.py uses it to check that ExitLens adds almost no
// overhead to programs that make few syscalls.
package main

import (
	"crypto/sha256"
	"fmt"
	"sync"
)

const (
	workers    = 4
	iterations = 4800
	bufSize    = 64 * 1024
)

func main() {
	var wg sync.WaitGroup
	sums := make([][32]byte, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			buf := make([]byte, bufSize)
			for i := range buf {
				buf[i] = byte(i*7 + w)
			}
			var sum [32]byte
			for i := 0; i < iterations; i++ {
				sum = sha256.Sum256(buf)
				copy(buf, sum[:]) // chain: each round depends on the last
			}
			sums[w] = sum
		}(w)
	}
	wg.Wait()
	h := sha256.New()
	for _, s := range sums {
		h.Write(s[:])
	}
	fmt.Printf("checksum: %x\n", h.Sum(nil))
}
