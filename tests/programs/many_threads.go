// many_threads starts 16 goroutines that each lock themselves to an OS thread
// (runtime.LockOSThread) and make 200 os.Stat("/") calls and a 20 ms sleep,
// forcing the runtime to create many OS threads (at least 8). It prints how
// many goroutines finished and exits 0. Tests assert that ExitLens keeps up
// with thread creation (clone) and exits of many traced threads without
// losing events or hanging.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	const workers = 16
	var wg sync.WaitGroup
	var done int64
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			for i := 0; i < 200; i++ {
				if _, err := os.Stat("/"); err != nil {
					fmt.Fprintln(os.Stderr, "stat:", err)
				}
			}
			time.Sleep(20 * time.Millisecond)
			atomic.AddInt64(&done, 1)
		}()
	}
	wg.Wait()
	fmt.Println("goroutines done:", atomic.LoadInt64(&done))
}
