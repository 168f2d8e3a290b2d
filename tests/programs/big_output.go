// big_output writes MIB mebibytes ("big_output MIB") to stdout in 64 KiB
// writes of a fixed pattern (lines of 'x'), then "done" to stderr, exits 0.
// Tests use it to check that ExitLens forwards large output intact and keeps
// only a bounded tail of it, without slowing the program down excessively.
package main

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: big_output MIB")
		os.Exit(2)
	}
	mib, err := strconv.Atoi(os.Args[1])
	if err != nil || mib < 0 {
		fmt.Fprintln(os.Stderr, "big_output: invalid size", os.Args[1])
		os.Exit(2)
	}
	const chunk = 64 * 1024
	buf := make([]byte, chunk)
	for i := range buf {
		if i%64 == 63 {
			buf[i] = '\n'
		} else {
			buf[i] = 'x'
		}
	}
	for n := 0; n < mib*(1024*1024/chunk); n++ {
		if _, err := os.Stdout.Write(buf); err != nil {
			fmt.Fprintln(os.Stderr, "big_output:", err)
			os.Exit(1)
		}
	}
	fmt.Fprintln(os.Stderr, "done")
}
