/* plain_exit: a dynamically linked C program built as a fixed-address (non-PIE) executable that
 * exits 0 through the C library. Tests assert that the launched program's clean exit_group still
 * stops the tracer: it comes from libc's code, outside the executable's own range. */
#include <stdio.h>

int main(void)
{
    puts("plain_exit: done");
    return 0;
}
