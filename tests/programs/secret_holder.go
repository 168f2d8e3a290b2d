// secret_holder leaks a secret every way a program can, for the redaction test. The secret is
// compiled in with -ldflags "-X main.secret=..." (tests/CMakeLists.txt); the test also passes it
// in the environment (APP_TOKEN) and as --password=SECRET. The program prints it to stderr, opens
// a path that contains it (which fails: ENOENT), prints the URL it was given with credentials,
// and exits 3.
package main

import (
	"fmt"
	"os"
	"path/filepath"
)

var secret = "unset"

func main() {
	fmt.Fprintf(os.Stderr, "starting with token %s (env %s)\n", secret, os.Getenv("APP_TOKEN"))
	for _, arg := range os.Args[1:] {
		fmt.Fprintf(os.Stderr, "argument: %s\n", arg)
	}
	path := filepath.Join(os.TempDir(), "exitlens-"+secret, "config.json")
	if _, err := os.Open(path); err != nil {
		fmt.Fprintf(os.Stderr, "cannot start: %v\n", err)
		os.Exit(3)
	}
}
