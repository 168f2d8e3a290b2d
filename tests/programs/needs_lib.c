/* needs_lib: a dynamically linked program whose shared library is not where the loader looks, so
 * it dies in ld.so before main with "error while loading shared libraries" and exit code 127.
 * The diagnosis suite expects missing_shared_library naming the library and the folders searched. */
int exitlens_gone_answer(void);

int main(void)
{
    return exitlens_gone_answer() == 42 ? 0 : 1;
}
