// gcstats allocates for a while with 40 goroutines parked and a known 64 MiB kept alive, then
// prints what the runtime says about itself (runtime.ReadMemStats, runtime.NumGoroutine, the
// thread count) so tests can compare the GODEBUG gctrace/schedtrace/inittrace lines they parse.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

var initBuffer []byte

func init() {
	// A package init that allocates 2 MiB: inittrace reports it for package main.
	initBuffer = make([]byte, 2<<20)
	initBuffer[0] = 1
}

var sink [][]byte

func main() {
	done := make(chan struct{})
	for i := 0; i < 40; i++ {
		go func() { <-done }()
	}
	keep := make([]byte, 64<<20)
	for i := range keep {
		keep[i] = byte(i)
	}
	deadline := time.Now().Add(350 * time.Millisecond)
	for time.Now().Before(deadline) {
		for i := 0; i < 64; i++ {
			sink = append(sink, make([]byte, 64<<10))
		}
		sink = sink[:0]
		time.Sleep(time.Millisecond)
	}
	runtime.GC()
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	threads := 0
	if status, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(status), "\n") {
			if strings.HasPrefix(line, "Threads:") {
				fmt.Sscanf(strings.TrimSpace(line[8:]), "%d", &threads)
			}
		}
	}
	fmt.Printf("numgc=%d heapalloc=%d goroutines=%d gomaxprocs=%d threads=%d keep=%d init=%d\n", stats.NumGC,
		stats.HeapAlloc, runtime.NumGoroutine(), runtime.GOMAXPROCS(0), threads, keep[len(keep)-1], initBuffer[0])
	close(done)
}
