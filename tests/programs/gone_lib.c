/* The library needs_lib links against; the build keeps it out of every path the loader searches. */
int exitlens_gone_answer(void)
{
    return 42;
}
