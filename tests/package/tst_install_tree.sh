#!/usr/bin/env bash
# shellcheck disable=SC2015,SC2031 # "check && pass || fail": pass never fails
# tst_install_tree BUILD_DIR: installs the build into a temporary prefix (no root, nothing outside
# the temporary folder is touched) and checks what a package would ship: man page, completion,
# icons, desktop entry, AppStream metadata, MIME type, demo, changelog.
set -uo pipefail

build=${1:?usage: tst_install_tree.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=checks.sh
source "$here/checks.sh"

tmp=$(mktemp -d /tmp/exitlens-install-tree.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/usr

if ! cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1; then
    cat "$tmp/install.log" >&2
    echo "FAIL: cmake --install" >&2
    exit 1
fi
check_tree "$prefix"

# Session files: the MIME database knows *.exitlens, and the desktop database opens it with
# ExitLens, as a file manager does on a double-click. Built here from the installed files only.
# PATH too: the entry's TryExec hides it from launchers when exitlens cannot be found.
export XDG_DATA_DIRS="$prefix/share:/usr/share" XDG_DATA_HOME="$tmp/home-data" XDG_CONFIG_HOME="$tmp/home-config"
export PATH="$prefix/bin:$PATH"
if out=$(update-mime-database "$prefix/share/mime" 2>&1) && [ -f "$prefix/share/mime/application/x-exitlens-session.xml" ]; then
    pass "update-mime-database accepts the MIME type"
else
    fail "update-mime-database: $out"
fi
update-desktop-database "$prefix/share/applications" 2>&1 | grep . && fail "update-desktop-database complained"
grep -qx "$SESSION_MIME=$APP_ID.desktop;" "$prefix/share/applications/mimeinfo.cache" &&
    pass "desktop database maps $SESSION_MIME to $APP_ID.desktop" ||
    fail "mimeinfo.cache has no $SESSION_MIME=$APP_ID.desktop"
if command -v gio >/dev/null; then
    # A real session starts with SQLite's header; the *.exitlens name must win over it.
    printf 'SQLite format 3\0' >"$tmp/capture.exitlens"
    head -c 4096 /dev/zero >>"$tmp/capture.exitlens"
    type=$(gio info -a standard::content-type "$tmp/capture.exitlens" | sed -n 's/.*content-type: //p')
    [ "$type" = "$SESSION_MIME" ] && pass "a .exitlens file is $SESSION_MIME" ||
        fail "a .exitlens file is detected as '$type', not $SESSION_MIME"
    grep -q "^Default application .*: $APP_ID.desktop" <<<"$(gio mime "$SESSION_MIME")" &&
        pass "gio opens $SESSION_MIME with $APP_ID.desktop" ||
        fail "gio mime $SESSION_MIME: $(gio mime "$SESSION_MIME" 2>&1)"
else
    fail "gio (libglib2.0-bin) is missing: scripts/setup.sh installs it"
fi

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
