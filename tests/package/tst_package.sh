#!/usr/bin/env bash
# shellcheck disable=SC2015 # "check && pass || fail": pass never fails
# tst_package BUILD_DIR FIXTURE: builds the Debian package and the .tar.gz with CPack, runs lintian,
# installs the package on this machine (dpkg -i, then apt-get -f install for anything missing),
# checks the installed ExitLens (--version, `run --json` on FIXTURE, the demo, man page, desktop
# entry, metainfo, MIME type, completion), and removes it again: also when a step fails, through
# the EXIT trap. Whatever apt-get installed for it is removed too, and the list of installed
# packages is compared with the one from before.
#
# Needs root. Exits 77 (skipped) when not root, or when ExitLens is already installed on the
# machine (installing over it and removing it would change the machine).
set -uo pipefail

build=$(cd "${1:?usage: tst_package.sh BUILD_DIR FIXTURE}" && pwd) || exit 1
fixture=$(realpath -m "${2:?usage: tst_package.sh BUILD_DIR FIXTURE}")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=checks.sh
source "$here/checks.sh"
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8

skip()
{
    echo "SKIP: $*"
    exit 77
}

[ "$(id -u)" -eq 0 ] || skip "installing a package needs root"
command -v dpkg >/dev/null && command -v apt-get >/dev/null || skip "not a Debian system"
# Known to dpkg in any state but "not-installed" (installed, or removed with its config left).
package_known()
{
    local status
    status=$(dpkg-query -W -f='${Status}' exitlens 2>/dev/null) && [ -n "$status" ] && [[ $status != *not-installed ]]
}
if package_known; then
    skip "the exitlens package is on this machine ($(dpkg-query -W -f='${Status}' exitlens)); purge it to run this test"
fi
for path in /usr/bin/exitlens /usr/lib/exitlens; do
    [ -e "$path" ] && skip "$path exists outside any package; the test would replace and then delete it"
done

work=$build/package-test
rm -rf "$work"
mkdir -p "$work/run"

installed_packages()
{
    dpkg-query -W -f='${Package}:${Architecture} ${Version} ${db:Status-Abbrev}\n' | sort
}

# dpkg takes the package manager's lock; another apt or dpkg on the machine may hold it a while.
with_dpkg_lock()
{
    local out status
    for _ in $(seq 1 60); do
        out=$("$@" 2>&1)
        status=$?
        if [ $status -ne 0 ] && grep -qi "lock was locked\|could not get lock\|unable to acquire the dpkg" <<<"$out"; then
            sleep 5
            continue
        fi
        printf '%s\n' "$out"
        return "$status"
    done
    printf '%s\n' "$out"
    return "$status"
}

new_packages=""
before=$(installed_packages)

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
    local status=$?
    trap - EXIT INT TERM
    if package_known; then
        echo "-- removing the exitlens package"
        with_dpkg_lock timeout 300 dpkg --purge exitlens || status=1
    fi
    if [ -n "$new_packages" ]; then
        echo "-- removing what apt-get installed for it: $new_packages"
        # shellcheck disable=SC2086 # one word per package
        with_dpkg_lock timeout 600 apt-get purge -y -o DPkg::Lock::Timeout=300 $new_packages >/dev/null || status=1
    fi
    local after
    after=$(installed_packages)
    if [ "$after" != "$before" ]; then
        echo "FAIL: the installed packages differ from before the test:" >&2
        diff <(echo "$before") <(echo "$after") >&2
        status=1
    fi
    for path in /usr/bin/exitlens /usr/lib/exitlens /usr/share/man/man1/exitlens.1.gz \
        "/usr/share/applications/$APP_ID.desktop" "/usr/share/mime/packages/$APP_ID.xml"; do
        [ -e "$path" ] && echo "FAIL: $path is still there after removing the package" >&2 && status=1
    done
    [ -e /usr/share/mime/application/x-exitlens-session.xml ] &&
        echo "FAIL: the MIME database still knows $SESSION_MIME" >&2 && status=1
    echo "$failures failure(s) before removal; exit $status"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------- build the packages
echo "-- cpack"
if ! timeout 600 cpack --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log" >&2
    fail "cpack"
    exit 1
fi
deb=$(find "$work" -maxdepth 1 -name 'exitlens_*_amd64.deb' | head -n1)
tgz=$(find "$work" -maxdepth 1 -name 'exitlens-*-linux-*.tar.gz' | head -n1)
[ -f "$deb" ] || { fail "no .deb in $work"; exit 1; }
[ -f "$tgz" ] && pass "$(basename "$tgz")" || fail "no .tar.gz in $work"

version=$("$build/app/exitlens" --version | sed 's/^exitlens //')
field()
{
    dpkg-deb --field "$deb" "$1"
}
[ "$(field Package)" = exitlens ] && [ "$(field Version)" = "$version" ] && [ "$(field Architecture)" = amd64 ] &&
    pass "$(basename "$deb"): exitlens $version amd64" || fail "control: $(field Package) $(field Version) $(field Architecture)"
depends=$(field Depends)
# The plugin by name, and the libraries dpkg-shlibdeps found in the binary.
for dependency in libqt6sql6-sqlite libqt6core6 libqt6widgets6 libseccomp2 libre2-9 libc6; do
    grep -q "\b$dependency\b" <<<"$depends" && pass "depends on $dependency" || fail "Depends lacks $dependency: $depends"
done
contents=$(tar -tzf "$tgz")
grep -q '^exitlens-[^/]*/bin/exitlens$' <<<"$contents" && grep -q '/lib/exitlens/demo/exitlens-demo$' <<<"$contents" &&
    pass ".tar.gz holds bin/exitlens and the demo" || fail ".tar.gz contents"

# ---------------------------------------------------------------------------- lintian
echo "-- lintian"
if command -v lintian >/dev/null; then
    # Errors and warnings fail; overridden tags (installer/lintian-overrides, "O:") and infos are
    # shown. Judged from the output: with --show-overrides lintian's status counts overridden tags.
    out=$(timeout 600 lintian --display-info --show-overrides "$deb" 2>&1 | grep -v "^running with root privileges")
    [ -n "$out" ] && printf '%s\n' "$out"
    if grep -q "^[EW]: " <<<"$out"; then
        fail "lintian found errors or warnings"
    elif grep -q "^[IO]: \|^N: \|^$" <<<"$out" || [ -z "$out" ]; then
        pass "lintian: no errors or warnings"
    else
        fail "lintian did not run: $out"
    fi
else
    fail "lintian is not installed (scripts/setup.sh installs it)"
fi

# ---------------------------------------------------------------------------- install
echo "-- dpkg -i $(basename "$deb")"
# dpkg leaves the package unconfigured when a dependency is missing; apt-get -f then fetches it.
with_dpkg_lock timeout 300 dpkg -i "$deb" || echo "(dpkg -i reported missing dependencies; apt-get -f install follows)"
apt_out=$(with_dpkg_lock timeout 900 apt-get -f install -y --no-install-recommends -o DPkg::Lock::Timeout=300)
apt_status=$?
printf '%s\n' "$apt_out" | tail -n 5
# Exactly what this apt-get run added, to remove it afterwards.
new_packages=$(printf '%s\n' "$apt_out" | sed -n '/^The following NEW packages will be installed:/,/^[^ ]/p' |
    grep '^ ' | tr -s ' \n' ' ')
[ $apt_status -eq 0 ] || fail "apt-get -f install"
status=$(dpkg-query -W -f='${Status}' exitlens 2>/dev/null)
[ "$status" = "install ok installed" ] && pass "exitlens is installed" || { fail "package state: '$status'"; exit 1; }

# ---------------------------------------------------------------------------- the installed program
[ "$(/usr/bin/exitlens --version)" = "exitlens $version" ] && pass "/usr/bin/exitlens --version: exitlens $version" ||
    fail "/usr/bin/exitlens --version: $(/usr/bin/exitlens --version 2>&1)"

cd "$work/run" || exit 1
timeout 120 /usr/bin/exitlens run --quiet --json "$work/run/fixture.json" -- "$fixture" 2>"$work/run/fixture.err"
run_status=$?
json_code=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exit"]["code"])' "$work/run/fixture.json" 2>&1)
# The fixture exits with code 3; exitlens run exits with the program's status.
[ "$json_code" = 3 ] && [ $run_status -eq 3 ] && pass "exitlens run --json: exit.code 3, status 3" ||
    fail "exitlens run on $fixture: status $run_status, exit.code '$json_code'; $(cat "$work/run/fixture.err")"

# The packaged demo runs and fails the way the README says: config.json is missing.
timeout 120 /usr/bin/exitlens run --quiet --json "$work/run/demo.json" -- /usr/lib/exitlens/demo/exitlens-demo \
    2>"$work/run/demo.err"
demo_status=$?
demo_code=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exit"]["code"])' "$work/run/demo.json" 2>&1)
[ "$demo_code" = 1 ] && [ $demo_status -eq 1 ] && grep -q "config.json" "$work/run/demo.err" &&
    pass "the installed demo, traced: exit code 1, config.json missing" ||
    fail "demo: status $demo_status, exit.code '$demo_code'; $(cat "$work/run/demo.err")"
cd / || exit 1

CHECK_DPKG_EXCLUDES=1 check_tree /usr

# As a user finds them: man by name, the system's MIME and desktop databases (the triggers of
# shared-mime-info and desktop-file-utils ran during the install).
if [ -f /usr/share/man/man1/exitlens.1.gz ]; then
    [ "$(man -w exitlens 2>/dev/null)" = /usr/share/man/man1/exitlens.1.gz ] && pass "man -w exitlens" ||
        fail "man -w exitlens: $(man -w exitlens 2>&1)"
    grep -q "^ *exitlens run" <<<"$(MANPAGER=cat MANWIDTH=80 man exitlens 2>/dev/null)" && pass "man exitlens" ||
        fail "man exitlens"
fi
grep -q " ./usr/share/man/man1/exitlens.1.gz$" <<<"$(dpkg-deb --contents "$deb")" && pass "the package holds the man page" ||
    fail "the package has no usr/share/man/man1/exitlens.1.gz"
if [ -x /usr/bin/update-mime-database ]; then
    [ -f /usr/share/mime/application/x-exitlens-session.xml ] && pass "the MIME database knows $SESSION_MIME" ||
        fail "the MIME database does not know $SESSION_MIME"
fi
if [ -x /usr/bin/update-desktop-database ]; then
    grep -q "^$SESSION_MIME=.*$APP_ID.desktop" /usr/share/applications/mimeinfo.cache 2>/dev/null &&
        pass "the desktop database opens $SESSION_MIME with ExitLens" ||
        fail "/usr/share/applications/mimeinfo.cache has no $SESSION_MIME entry"
fi

# ---------------------------------------------------------------------------- remove (cleanup checks it)
[ "$failures" -eq 0 ] || exit 1
exit 0
