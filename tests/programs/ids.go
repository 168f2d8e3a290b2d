// ids prints the ids it runs with and the account variables of its environment:
// "uid=U euid=E HOME=... USER=... LOGNAME=... SHELL=...". Installed setuid root
// by the tests, it shows whether the kernel granted the file's privileges. With
// "need-root" it fails (exit 1, a message on stderr) unless it runs as root.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Printf("uid=%d euid=%d HOME=%s USER=%s LOGNAME=%s SHELL=%s\n", os.Getuid(), os.Geteuid(),
		os.Getenv("HOME"), os.Getenv("USER"), os.Getenv("LOGNAME"), os.Getenv("SHELL"))
	if len(os.Args) > 1 && os.Args[1] == "need-root" && os.Geteuid() != 0 {
		fmt.Fprintf(os.Stderr, "ids: must run as root (effective uid %d)\n", os.Geteuid())
		os.Exit(1)
	}
}
