// cgo_hello calls a C function through cgo, so its binary is dynamically linked against libc, has
// runtime/cgo and a C symbol (exitlens_c_answer) the symbolizer finds in the ELF symbol table.
package main

/*
int exitlens_c_answer(void) { return 42; }
*/
import "C"

import "fmt"

func main() {
	fmt.Println("answer:", int(C.exitlens_c_answer()))
}
