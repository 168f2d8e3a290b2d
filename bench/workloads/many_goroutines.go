// many_goroutines parks N goroutines (first argument, default 10000) in four kinds of places and
// then panics, so GOTRACEBACK=all (or system) prints a traceback of N+1 goroutines: the input of
// the Go insight benchmark (bench/bench_goinsight.cpp).
package main

import (
	"os"
	"strconv"
	"sync"
	"time"
)

//go:noinline
func waitOnChannel(ch chan int, wg *sync.WaitGroup) {
	wg.Done()
	<-ch
}

//go:noinline
func waitInSelect(a, b chan int, wg *sync.WaitGroup) {
	wg.Done()
	select {
	case <-a:
	case <-b:
	}
}

//go:noinline
func waitOnMutex(mu *sync.Mutex, wg *sync.WaitGroup) {
	wg.Done()
	mu.Lock()
}

//go:noinline
func sleepLong(wg *sync.WaitGroup) {
	wg.Done()
	time.Sleep(time.Hour)
}

func main() {
	n := 10000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	mu.Lock()
	ch, a, b := make(chan int), make(chan int), make(chan int)
	for i := 0; i < n; i++ {
		wg.Add(1)
		switch i % 4 {
		case 0:
			go waitOnChannel(ch, &wg)
		case 1:
			go waitInSelect(a, b, &wg)
		case 2:
			go waitOnMutex(&mu, &wg)
		default:
			go sleepLong(&wg)
		}
	}
	wg.Wait()
	time.Sleep(50 * time.Millisecond)
	panic("many_goroutines: " + strconv.Itoa(n) + " goroutines parked")
}
