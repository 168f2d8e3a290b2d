// worker_pool is a small service that fails slowly, for the GUI tests and screenshots: it starts
// two copies of itself as workers ("worker_pool worker N SECONDS"), which poll a queue folder
// (a missing file: ENOENT every round), write and remove a scratch file, and print progress.
// Worker 1 ends cleanly after SECONDS; worker 2 panics halfway with "queue: pop from an empty
// queue" in main.(*queue).pop. The parent reports the failed worker on stderr and exits 1.
// Usage: worker_pool [SECONDS] (default 3).
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

type queue struct{ items []string }

//go:noinline
func (q *queue) pop() string {
	if len(q.items) == 0 {
		panic("queue: pop from an empty queue")
	}
	item := q.items[0]
	q.items = q.items[1:]
	return item
}

func worker(id int, seconds float64) {
	scratch, err := os.MkdirTemp("", "worker_pool-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker", id, "cannot make scratch folder:", err)
		os.Exit(3)
	}
	defer os.RemoveAll(scratch)
	fmt.Fprintf(os.Stderr, "worker %d: started, polling queue/pending-%d.json\n", id, id)
	deadline := time.Now().Add(time.Duration(seconds * float64(time.Second)))
	halfway := time.Now().Add(time.Duration(seconds / 2 * float64(time.Second)))
	q := &queue{items: []string{"first-job"}}
	for round := 0; time.Now().Before(deadline); round++ {
		if _, err := os.Stat(filepath.Join("queue", "pending-"+strconv.Itoa(id)+".json")); err != nil && round == 0 {
			fmt.Fprintf(os.Stderr, "worker %d: %v (will keep polling)\n", id, err)
		}
		name := filepath.Join(scratch, "job-"+strconv.Itoa(round%8))
		_ = os.WriteFile(name, []byte("job\n"), 0o644)
		_ = os.Remove(name)
		if round%25 == 0 {
			fmt.Printf("worker %d: round %d\n", id, round)
		}
		if id == 2 && time.Now().After(halfway) {
			fmt.Printf("worker %d: took %s\n", id, q.pop())
			fmt.Printf("worker %d: took %s\n", id, q.pop())
		}
		time.Sleep(20 * time.Millisecond)
	}
	fmt.Fprintf(os.Stderr, "worker %d: done\n", id)
}

func main() {
	seconds := 3.0
	if len(os.Args) >= 2 && os.Args[1] == "worker" {
		id, _ := strconv.Atoi(os.Args[2])
		s, _ := strconv.ParseFloat(os.Args[3], 64)
		worker(id, s)
		return
	}
	if len(os.Args) >= 2 {
		s, err := strconv.ParseFloat(os.Args[1], 64)
		if err != nil || s <= 0 {
			fmt.Fprintln(os.Stderr, "usage: worker_pool [SECONDS]")
			os.Exit(2)
		}
		seconds = s
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker_pool:", err)
		os.Exit(1)
	}
	fmt.Fprintln(os.Stderr, "worker_pool: starting 2 workers")
	var cmds []*exec.Cmd
	for id := 1; id <= 2; id++ {
		cmd := exec.Command(self, "worker", strconv.Itoa(id), strconv.FormatFloat(seconds, 'f', -1, 64))
		cmd.Stdout = os.Stdout
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			fmt.Fprintln(os.Stderr, "worker_pool: cannot start worker:", err)
			os.Exit(1)
		}
		cmds = append(cmds, cmd)
	}
	failed := false
	for id, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			fmt.Fprintf(os.Stderr, "worker_pool: worker %d failed: %v\n", id+1, err)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
	fmt.Fprintln(os.Stderr, "worker_pool: all workers done")
}
