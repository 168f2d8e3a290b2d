/* Stands in for a library ExitLens itself loads (libstdc++.so.6, libQt6Core.so.6) in a folder on
 * LD_LIBRARY_PATH: the right file name and soname, none of the symbols or symbol versions, as an
 * older copy of the library would be to a newer program. */
int exitlens_loader_standin(void)
{
    return 0;
}
