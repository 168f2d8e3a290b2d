/* exitlens: the front program users start. It moves the dynamic loader's variables (LD_PRELOAD,
 * LD_LIBRARY_PATH, LD_AUDIT and every other LD_*) aside into EXITLENS_SAVED_LD_* and starts the
 * real command line, exitlens-cli, which puts them back for the program it traces (and for the
 * window's launches: exitlens-gui does the same). ExitLens's own libraries then resolve from the
 * system whatever environment it is started from: a folder on LD_LIBRARY_PATH with an older Qt or
 * libstdc++, or a preload library that crashes, is exactly what people bring to a diagnostic tool.
 *
 * Plain C, linked statically: a dynamically linked front would be killed by the same preload
 * before its first instruction. It uses nothing but the environment, /proc/self/exe and execve,
 * and it execs (never forks), so exitlens keeps its pid for whoever started it.
 *
 * Looks for exitlens-cli beside itself (a build tree) and in ../lib/exitlens/ (installed). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char** environ;

static const char kSavedPrefix[] = "EXITLENS_SAVED_";
static const int kOwnFailure = 125; /* as exitlens uses for its own failures */

static int startsWith(const char* text, const char* prefix)
{
    return strncmp(text, prefix, strlen(prefix)) == 0;
}

/* PATH without its last component, in place; 0 when there is no slash. */
static int cutToFolder(char* path)
{
    char* slash = strrchr(path, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    return 1;
}

int main(int argc, char** argv)
{
    (void)argc;
    char self[PATH_MAX];
    const ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (length <= 0) {
        fprintf(stderr, "exitlens: cannot find its own folder (/proc/self/exe): %s\n", strerror(errno));
        return kOwnFailure;
    }
    self[length] = '\0';
    if (!cutToFolder(self)) {
        fprintf(stderr, "exitlens: cannot find its own folder in '%s'\n", self);
        return kOwnFailure;
    }
    char beside[PATH_MAX + 32];
    char installed[PATH_MAX + 32];
    snprintf(beside, sizeof(beside), "%s/exitlens-cli", self);
    snprintf(installed, sizeof(installed), "%s/../lib/exitlens/exitlens-cli", self);
    const char* real = access(beside, X_OK) == 0 ? beside : installed;

    size_t count = 0;
    while (environ && environ[count])
        ++count;
    char** environment = calloc(count + 1, sizeof(char*));
    if (!environment) {
        fputs("exitlens: out of memory\n", stderr);
        return kOwnFailure;
    }
    size_t kept = 0;
    for (size_t i = 0; i < count; ++i) {
        const char* entry = environ[i];
        if (startsWith(entry, "EXITLENS_SAVED_LD_"))
            continue; /* not from this front: exitlens-cli would wrongly restore it */
        if (startsWith(entry, "LD_")) {
            const size_t size = sizeof(kSavedPrefix) + strlen(entry);
            char* saved = malloc(size);
            if (!saved) {
                fputs("exitlens: out of memory\n", stderr);
                return kOwnFailure;
            }
            snprintf(saved, size, "%s%s", kSavedPrefix, entry);
            environment[kept++] = saved;
            continue;
        }
        environment[kept++] = (char*)entry;
    }
    environment[kept] = NULL;

    execve(real, argv, environment);
    const int error = errno;
    if (error == ENOENT)
        fprintf(stderr, "exitlens: exitlens-cli, the command line, is neither in %s nor in %s/../lib/exitlens\n", self,
            self);
    else
        fprintf(stderr, "exitlens: cannot start %s: %s\n", real, strerror(error));
    return kOwnFailure;
}
