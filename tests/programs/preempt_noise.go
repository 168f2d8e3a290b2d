// preempt_noise keeps two CPU-bound goroutines on one P for a moment, so the Go scheduler has to
// preempt them asynchronously: sysmon sends SIGURG to the program's own threads about every 10 ms.
// Tests use it for the runtime noise the window hides by default. It also opens a missing file
// and prints a line, so the capture has file and output events next to the noise.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

var stop int32

func spin(wg *sync.WaitGroup) {
	defer wg.Done()
	// No function calls in the loop: only an asynchronous preemption (SIGURG) can stop it.
	for atomic.LoadInt32(&stop) == 0 {
	}
}

func main() {
	runtime.GOMAXPROCS(1)
	var wg sync.WaitGroup
	wg.Add(2)
	go spin(&wg)
	go spin(&wg)
	time.Sleep(300 * time.Millisecond)
	atomic.StoreInt32(&stop, 1)
	wg.Wait()
	if _, err := os.Open("preempt-noise-missing.conf"); err != nil {
		fmt.Println("no config:", err)
	}
}
