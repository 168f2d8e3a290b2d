// diag: one program, many ways to die, for the diagnosis suite (tests/integration/tst_diagnosis.cpp).
// Each mode reproduces a real failure the way Go programs meet it; the suite asserts the verdict's
// category and facts, and the negative modes assert that a rule does NOT fire. The Go runtime's own
// deaths (panic, deadlock, stack overflow, fatal errors) come from gocrash.go, which imports little:
// the net package here would keep the runtime's deadlock detector from firing.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

type config struct {
	Listen  string `json:"listen"`
	DataDir string `json:"data_dir"`
}

func loadConfig(path string) (*config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c config
	if err := json.Unmarshal(data, &c); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			line := 1 + strings.Count(string(data[:syntax.Offset]), "\n")
			return nil, fmt.Errorf("parse %s: line %d: %v", path, line, err)
		}
		return nil, fmt.Errorf("parse %s: %v", path, err)
	}
	return &c, nil
}

func child(args ...string) *exec.Cmd {
	self, _ := os.Executable()
	cmd := exec.Command(self, args...)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	return cmd
}

// installSeccomp kills (or traps) the calling thread's uname(2) with a classic BPF filter.
func installSeccomp(action uint32) {
	runtime.LockOSThread()
	const nrUname = 63
	filter := []syscall.SockFilter{
		{Code: 0x20, K: 0},                     // ld [nr]
		{Code: 0x15, Jt: 0, Jf: 1, K: nrUname}, // jeq uname
		{Code: 0x06, K: action},                // ret action
		{Code: 0x06, K: 0x7fff0000},            // ret ALLOW
	}
	prog := syscall.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, 38 /* PR_SET_NO_NEW_PRIVS */, 1, 0); e != 0 {
		fmt.Fprintln(os.Stderr, "prctl:", e)
		os.Exit(9)
	}
	if _, _, e := syscall.RawSyscall(317 /* seccomp */, 1 /* SET_MODE_FILTER */, 0, uintptr(unsafe.Pointer(&prog))); e != 0 {
		fmt.Fprintln(os.Stderr, "seccomp:", e)
		os.Exit(9)
	}
}

// service exits silently from a nested method: only the Go stack at exit_group can say where.
type service struct{ name string }

//go:noinline
func (s *service) shutdown(code int) {
	os.Exit(code) // silent-nested-exit
}

//go:noinline
func (s *service) stop(reason error) {
	if reason != nil {
		s.shutdown(5)
	}
}

// openLog opens the program's own log file the way services do: append-only, kept open.
func openLog(path string) *os.File {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, "diag:", err)
		os.Exit(9)
	}
	return f
}

func main() {
	if len(os.Args) < 2 {
		fmt.Println("usage: diag MODE [ARGS]")
		os.Exit(64)
	}
	mode, args := os.Args[1], os.Args[2:]
	switch mode {
	case "panic-missing": // missing_file reported by a panic
		if _, err := loadConfig("config.json"); err != nil {
			panic(err)
		}
	case "logfatal-missing": // missing_file reported by log.Fatal
		if _, err := loadConfig("/etc/diag-fixture/settings.json"); err != nil {
			log.Fatalf("startup failed: %v", err)
		}
	case "silent-missing": // missing_file with no message at all
		if _, err := os.Stat("state/last-run.db"); err != nil {
			os.Exit(4)
		}
	case "optional-then-usage": // negative: optional files are missing, but arguments are the problem
		for _, p := range []string{"/etc/diag-fixture/optional.conf", os.Getenv("HOME") + "/.diagrc"} {
			os.Stat(p)
		}
		fs := flag.NewFlagSet("diag", flag.ExitOnError)
		fs.Int("port", 8080, "port to listen on")
		fs.Parse(args) // -bogus: "flag provided but not defined", exit 2
	case "bad-config": // config_error with file and line
		if _, err := loadConfig("config.json"); err != nil {
			fmt.Fprintln(os.Stderr, "diag:", err)
			os.Exit(1)
		}
	case "read-config": // permission_denied when run as nobody on a root-only file
		if _, err := loadConfig("config.json"); err != nil {
			fmt.Fprintln(os.Stderr, "diag:", err)
			os.Exit(1)
		}
	case "listen": // network_error: address in use
		ln, err := net.Listen("tcp", "127.0.0.1:"+args[0])
		if err != nil {
			fmt.Fprintln(os.Stderr, "diag:", err)
			os.Exit(1)
		}
		ln.Close()
	case "connect": // network_error: connection refused
		conn, err := net.DialTimeout("tcp", "127.0.0.1:"+args[0], 2*time.Second)
		if err != nil {
			fmt.Fprintln(os.Stderr, "diag: cannot reach the database:", err)
			os.Exit(1)
		}
		conn.Close()
	case "many-files": // resource_limit: RLIMIT_NOFILE
		var files []*os.File
		for {
			f, err := os.Open("/dev/null")
			if err != nil {
				fmt.Fprintf(os.Stderr, "diag: after %d files: %v\n", len(files), err)
				os.Exit(1)
			}
			files = append(files, f)
		}
	case "alloc": // oom: grows until a limit stops it
		var keep [][]byte
		for i := 0; i < 4096; i++ {
			block := make([]byte, 16<<20)
			for j := 0; j < len(block); j += 4096 {
				block[j] = 1
			}
			keep = append(keep, block)
		}
		fmt.Println(len(keep))
	case "seccomp-kill": // seccomp: SECCOMP_RET_KILL_PROCESS
		installSeccomp(0x80000000)
		var u syscall.Utsname
		syscall.Uname(&u)
	case "seccomp-trap": // seccomp: SECCOMP_RET_TRAP (SIGSYS the runtime turns into a crash)
		installSeccomp(0x00030000)
		var u syscall.Utsname
		syscall.Uname(&u)
	case "ignore-sigterm": // negative: SIGTERM arrives but is ignored; the program fails later for another reason
		signal.Ignore(syscall.SIGTERM)
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
		if err := child("kill-parent").Run(); err != nil {
			fmt.Fprintln(os.Stderr, "diag:", err)
		}
		time.Sleep(100 * time.Millisecond)
		fmt.Fprintln(os.Stderr, "diag: 3 records rejected")
		os.Exit(3)
	case "handle-sigterm": // signal_killed: a handler shuts the program down when a supervisor asks
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM)
		go child("kill-parent").Run()
		<-stop
		fmt.Fprintln(os.Stderr, "diag: SIGTERM received, shutting down")
		os.Exit(0)
	case "kill-parent":
		syscall.Kill(os.Getppid(), syscall.SIGTERM)
	case "handled-epipe": // negative: writes into a closed pipe, handles EPIPE, exits 0
		signal.Ignore(syscall.SIGPIPE)
		r, w, _ := os.Pipe()
		r.Close()
		if _, err := w.Write([]byte("hello")); err != nil {
			fmt.Println("write failed as expected:", err)
		}
	case "helper-fails": // child_failure: a helper exits 3
		if err := child("helper-exit", "3").Run(); err != nil {
			fmt.Fprintln(os.Stderr, "diag: migration helper failed:", err)
			os.Exit(1)
		}
	case "helper-exit":
		fmt.Fprintln(os.Stderr, "helper: schema version 7 is newer than this tool supports")
		var code int
		fmt.Sscan(args[0], &code)
		os.Exit(code)
	case "lookpath": // exec_failure: a helper that is not in PATH
		if err := exec.Command("diag-helper-that-does-not-exist").Run(); err != nil {
			fmt.Fprintln(os.Stderr, "diag:", err)
			os.Exit(1)
		}
	case "silent-nested-exit": // os_exit: silent, from a method two calls deep
		(&service{name: "billing"}).stop(errors.New("ledger out of balance"))
	case "logfatal-to-file": // log_fatal: the message goes to the program's log file, not to stderr
		log.SetOutput(openLog(args[0]))
		log.Printf("billing worker starting")
		log.Fatalf("cannot reach the payment gateway: %v", errors.New("certificate expired")) // logfatal-to-file
	case "silent-log-exit": // os_exit: the reason is logged to a file, then a silent os.Exit(1)
		f := openLog(args[0])
		for i := 0; i < 200; i++ { // a log longer than the 4 KiB the tracer reads back
			fmt.Fprintf(f, "worker %d: batch committed\n", i)
		}
		fmt.Fprintln(f, "fatal: upstream rejected the API key (HTTP 401)")
		os.Exit(1) // silent-log-exit
	case "log-fatal": // log_fatal
		log.Fatal("queue consumer stopped: 3 consecutive acknowledgements timed out")
	case "premature": // premature_exit: main returns while workers are busy
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				x := 0
				for {
					x++
				}
			}()
		}
		time.Sleep(200 * time.Millisecond) // long enough for the workers to be mid-work
		return
	default:
		fmt.Fprintln(os.Stderr, "diag: unknown mode", mode)
		os.Exit(64)
	}
}
