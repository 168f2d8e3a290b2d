// verdicts: failures whose cause a verdict must reason out rather than read off the last line, for
// the diagnosis suite (tests/integration/tst_diagnosis.cpp, docs/verdicts.md points 1-14). Each
// mode fails the way real programs do: the reason buried under boilerplate, a failed call the
// message only paraphrases, a search that found nothing, a configuration file rejected without
// its name, an environment variable that was never set, a path read wrongly. The negative modes
// mention the same things and must not get the new verdicts.
package main

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

func fail(code int, lines ...string) {
	for _, line := range lines {
		fmt.Fprintln(os.Stderr, line)
	}
	os.Exit(code)
}

// findConfig looks for its configuration under several names in several folders, as many tools do.
func findConfig() (string, error) {
	home, _ := os.Getwd()
	for _, folder := range []string{".", filepath.Join(home, ".config", "verdicts")} {
		for _, name := range []string{"verdicts.yaml", "verdicts.yml", "verdicts.json", "verdicts.toml"} {
			path := filepath.Join(folder, name)
			if f, err := os.Open(path); err == nil {
				f.Close()
				return path, nil
			}
		}
	}
	return "", errors.New("no configuration file found")
}

func main() {
	if len(os.Args) < 2 {
		fail(64, "usage: verdicts MODE")
	}
	switch os.Args[1] {
	case "buried-reason": // the specific reason, then a summary, a help footer and a bug-tracker line
		fail(1, "verdicts: upstream 10.9.8.7:443 rejected the client certificate (expired 2026-01-03)",
			"one or more errors occurred",
			"Run 'verdicts --help' for usage.",
			"Please report bugs at https://bugs.example.invalid/verdicts")
	case "paraphrase": // a failed open the message only paraphrases
		if _, err := os.OpenFile("var/lib/verdicts/index.db", os.O_RDWR|os.O_CREATE, 0o600); err != nil {
			fail(1, "verdicts: could not initialise storage")
		}
	case "unrelated-then-panic": // negative: an optional file is missing, then an unrelated panic
		os.ReadFile("optional-overrides.json")
		var list []int
		index := len(os.Args) + 3
		fmt.Println(list[index]) // index out of range
	case "search": // looked for its configuration everywhere and found none
		if _, err := findConfig(); err != nil {
			fail(1, "verdicts: "+err.Error())
		}
	case "search-ok": // negative: the same search finds the last candidate and exits 0
		if _, err := findConfig(); err != nil {
			fail(1, "verdicts: "+err.Error())
		}
	case "config-unnamed": // rejects the file it read without naming it, with a line
		data, err := os.ReadFile("verdicts.toml")
		if err != nil {
			fail(1, err.Error())
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "mode") && !strings.Contains(line, "\"normal\"") {
				fail(1, fmt.Sprintf("error at line %d: invalid value for mode: expected \"slow\" or \"normal\"", i+1))
			}
		}
	case "config-logged": // the same rejection with the log package's timestamp, and no line number
		data, _ := os.ReadFile("verdicts.toml")
		if !strings.Contains(string(data), "\"normal\"") {
			log.Fatalf("invalid value for mode: expected \"slow\" or \"normal\"")
		}
	case "config-then-job": // negative: reads its configuration, then a job fails for another reason
		os.ReadFile("verdicts.toml")
		fail(1, "verdicts: job 7 returned status 3")
	case "env": // a required environment variable was never set
		if os.Getenv("VERDICTS_DATABASE_URL") == "" {
			fail(1, "verdicts: VERDICTS_DATABASE_URL is not set")
		}
	case "env-help": // negative: the help text names a variable; the arguments are the problem
		fail(2, "verdicts: unknown flag --colour",
			"usage: verdicts [--color] MODE",
			"  VERDICTS_DATABASE_URL   where the data lives (required)")
	case "not-a-folder": // ENOTDIR: data is a file
		if _, err := os.ReadFile("data/state.db"); err != nil {
			fail(1, "verdicts: "+err.Error())
		}
	case "is-a-folder": // EISDIR: the output path is a folder
		if _, err := os.OpenFile("out", os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644); err != nil {
			fail(1, "verdicts: "+err.Error())
		}
	case "exists": // EEXIST: a lock file left behind
		if _, err := os.OpenFile("verdicts.lock", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644); err != nil {
			fail(1, "verdicts: "+err.Error())
		}
	case "loop": // ELOOP: a symbolic link that points at itself
		if _, err := os.ReadFile("current/settings.json"); err != nil {
			fail(1, "verdicts: "+err.Error())
		}
	case "relative": // a relative path that exists one folder up
		if _, err := os.ReadFile("templates/page.tmpl"); err != nil {
			fail(1, "verdicts: "+err.Error())
		}
	case "devnull-panic": // fd 2 sent to /dev/null, then a panic nobody sees
		null, _ := os.OpenFile("/dev/null", os.O_WRONLY, 0)
		syscall.Dup2(int(null.Fd()), 2)
		panic(errors.New("verdicts: journal replay failed at offset 4096"))
	case "map-index": // a file mapped whole, larger than the address space RLIMIT_AS leaves
		f, err := os.OpenFile("index.db", os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			fail(1, err.Error())
		}
		if _, err := syscall.Mmap(int(f.Fd()), 0, 2<<30, syscall.PROT_READ, syscall.MAP_SHARED); err != nil {
			fail(1, "verdicts: cannot open index ("+err.Error()+")")
		}
	case "long-lookup": // a 100 kB token after "lookup ": the rules must scan it, not crash
		fail(1, "lookup "+strings.Repeat("a", 100*1024)+": no such host")
	default:
		fail(64, "verdicts: unknown mode "+os.Args[1])
	}
}
