// gocrash dies the way Go programs die, chosen by its first argument, so the traceback parser is
// tested against what the Go runtime really prints: panics with an error, a multi-line string, a
// custom error type, nested and re-panicked panics, a runtime error, a nil dereference (SIGSEGV),
// concurrent map writes, a deadlock, a stack overflow, many goroutines for GOTRACEBACK=all, and a
// silent os.Exit(4) from a method.
package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"time"
)

type configError struct{ key string }

func (e *configError) Error() string { return "config: missing key " + e.key }

type Server struct{ handlers map[string]int }

//go:noinline
func (s *Server) shutdown(code int) { os.Exit(code) }

//go:noinline
func (s *Server) register(name string) { s.handlers[name] = len(name) }

//go:noinline
func loadSettings() int {
	port := 70000
	if port > 65535 {
		panic(fmt.Errorf("settings: invalid port %d", port))
	}
	return port
}

//go:noinline
func recurse(depth int) int { return recurse(depth+1) + 1 }

//go:noinline
func waitForever(ch chan int, wg *sync.WaitGroup) {
	wg.Done()
	<-ch
}

//go:noinline
func sleepForever(wg *sync.WaitGroup) {
	wg.Done()
	time.Sleep(time.Hour)
}

//go:noinline
func writeMap(m map[int]int, base int) {
	for i := 0; ; i++ {
		m[base+i%100] = i
	}
}

func main() {
	mode := "error"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	fmt.Fprintln(os.Stderr, "gocrash: mode", mode)
	switch mode {
	case "error":
		fmt.Println("port:", loadSettings())
	case "string":
		panic("something bad happened\nsecond line of the message")
	case "custom":
		panic(&configError{key: "listen"})
	case "nested":
		defer func() { panic("second panic in a deferred call") }()
		panic("first panic")
	case "repanic":
		defer func() {
			r := recover()
			panic(r)
		}()
		panic("recovered and raised again")
	case "index":
		var values []int
		fmt.Println(values[len(os.Args)+5])
	case "nil":
		var s *Server
		s.register("health")
	case "map":
		m := map[int]int{}
		go writeMap(m, 0)
		writeMap(m, 1000)
	case "deadlock":
		ch := make(chan int)
		<-ch
	case "overflow":
		debug.SetMaxStack(1 << 20)
		fmt.Println(recurse(0))
	case "workers":
		// 20 identical waiters and 5 identical sleepers: two buckets besides main.
		var wg sync.WaitGroup
		ch := make(chan int)
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go waitForever(ch, &wg)
		}
		for i := 0; i < 5; i++ {
			wg.Add(1)
			go sleepForever(&wg)
		}
		wg.Wait()
		time.Sleep(20 * time.Millisecond)
		fmt.Println("port:", loadSettings())
	case "exit":
		(&Server{}).shutdown(4)
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", mode)
		os.Exit(2)
	}
}
