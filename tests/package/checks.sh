# shellcheck shell=bash disable=SC2015,SC2030,SC2031 # "check && pass || fail": pass never fails; subshells count their own failures
# Checks of an installed ExitLens tree, shared by tst_install_tree.sh (a `cmake --install` into a
# temporary prefix) and tst_package.sh (the Debian package installed in /usr). Sourced, not run.
#
#   check_tree PREFIX    checks PREFIX/bin/exitlens and everything installed beside it
#
# Every failed check prints "FAIL: ..." and counts; the caller exits non-zero when failures > 0.

# The desktop id, from where it is set (resources/DesktopIntegration.cmake).
APP_ID=$(sed -n 's/^set(EXITLENS_APP_ID "\(.*\)")$/\1/p' "$(dirname "${BASH_SOURCE[0]}")/../../resources/DesktopIntegration.cmake")
SESSION_MIME=application/x-exitlens-session
ICON_SIZES="16 24 32 48 64 128 256"
failures=0

fail()
{
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

pass()
{
    echo "ok: $*"
}

# Whether dpkg's configuration on this machine keeps PATH from being installed: container images
# often exclude /usr/share/man and /usr/share/doc (path-exclude in /etc/dpkg/dpkg.cfg.d/). The
# last matching path-exclude or path-include decides, as in dpkg.
dpkg_excludes()
{
    local path=$1 verdict=1 kind pattern
    while read -r kind pattern; do
        # shellcheck disable=SC2053 # the pattern is a glob on purpose
        if [[ $path == $pattern ]]; then
            [ "$kind" = path-exclude ] && verdict=0 || verdict=1
        fi
    done < <(cat /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/* 2>/dev/null | sed -n 's/^\(path-exclude\|path-include\)[ =]\+/\1 /p')
    return $verdict
}

# expect_file PATH [test-flag]: the file exists (and is executable with -x). With
# CHECK_DPKG_EXCLUDES=1 (an installed package), a file dpkg is configured not to install is
# reported as skipped instead; the caller's next checks find it missing and skip too.
expect_file()
{
    local path=$1 flag=${2:--f}
    if test "$flag" "$path"; then
        pass "$path"
    elif [ "${CHECK_DPKG_EXCLUDES:-0}" = 1 ] && dpkg_excludes "$path"; then
        echo "skip: $path (dpkg on this machine is configured not to install it)"
    else
        fail "missing or wrong: $path ($flag)"
    fi
}

# The subcommands the binary $1 lists in its --help ("  exitlens NAME ...").
list_commands()
{
    "$1" --help | sed -n 's/^ *exitlens \([a-z][a-z0-9-]*\).*$/\1/p'
}

# The options binary $1 takes without a command ("  exitlens --demo   ...", "  exitlens --version | --help").
list_global_options()
{
    "$1" --help | grep '^ *exitlens -' | sed 's/   .*//' | grep -o -- '--[a-z][a-z0-9-]*'
}

# The long options of subcommand $2 of binary $1, as printed by its --help (Qt's own --help and
# --help-all left out: every QCommandLineParser has them).
list_options()
{
    "$1" "$2" --help | grep -o -- '^ \{1,4\}\(-[a-zA-Z], \)\{0,1\}--[a-z][a-z0-9-]*' | grep -o -- '--[a-z][a-z0-9-]*' |
        grep -vx -- '--help\|--help-all'
}

check_manpage()
{
    local prefix=$1 exe=$2 page=$1/share/man/man1/exitlens.1.gz
    expect_file "$page"
    [ -f "$page" ] || return
    local rendered warnings
    # man renders it as a user sees it; --warnings makes groff report any markup problem.
    warnings=$(LC_ALL=C.UTF-8 MANWIDTH=100 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
    [ -z "$warnings" ] && pass "man page renders without groff warnings" || fail "groff warnings: $warnings"
    rendered=$(LC_ALL=C.UTF-8 MANWIDTH=100 MANPAGER=cat man -E UTF-8 -l "$page" 2>/dev/null | sed 's/.\x08//g')
    for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS FILES EXAMPLES "SEE ALSO"; do
        grep -qx "$section" <<<"$rendered" || fail "man page has no $section section"
    done
    grep -q "ExitLens $("$exe" --version | sed 's/^exitlens //')" <<<"$rendered" ||
        fail "man page does not carry the version $("$exe" --version)"
    # Every subcommand of --help has its own section, and every option of it is described.
    local command option commands
    commands=$(list_commands "$exe")
    [ -n "$commands" ] || fail "$exe --help lists no subcommand"
    local section_text
    for command in $commands; do
        # The command's own section: from its ".SS exitlens COMMAND" title to the next title.
        section_text=$(awk -v title="   exitlens $command" '
            index($0, title) == 1 && (length($0) == length(title) || substr($0, length(title) + 1, 1) == " ") { on = 1; print; next }
            on && (/^   exitlens / || /^[A-Z]/) { on = 0 }
            on' <<<"$rendered")
        if [ -n "$section_text" ]; then
            pass "man page section for 'exitlens $command'"
        else
            fail "the man page has no section for 'exitlens $command': add a .SS under COMMANDS in installer/exitlens.1.in"
            continue
        fi
        for option in $(list_options "$exe" "$command"); do
            grep -q -- "$option\b" <<<"$section_text" ||
                fail "the man page section of 'exitlens $command' does not describe $option (installer/exitlens.1.in)"
        done
    done
    # The options valid without a command, in the OPTIONS section.
    section_text=$(awk '/^OPTIONS$/ { on = 1; next } on && /^[A-Z]/ { on = 0 } on' <<<"$rendered")
    for option in $(list_global_options "$exe"); do
        grep -q -- "^ *\(-[a-zA-Z], \)\{0,1\}$option\b" <<<"$section_text" ||
            fail "the man page's OPTIONS section does not describe 'exitlens $option' (installer/exitlens.1.in)"
    done
}

# Completes the command line $2 (its last word, "" after a trailing space) with the completion file
# $1, as bash would on TAB; prints the candidates one per line.
complete_line()
{
    bash --norc --noprofile -c '
        source /usr/share/bash-completion/bash_completion
        source "$1"
        line=$2
        COMP_LINE=$line
        COMP_POINT=${#line}
        read -ra COMP_WORDS <<<"$line"
        [[ $line == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        _exitlens exitlens "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
        printf "%s\n" "${COMPREPLY[@]}"' completion "$1" "$2"
}

# expect_completion FILE LINE WORD...: each WORD is among the candidates for LINE.
expect_completion()
{
    local file=$1 line=$2 candidates word
    shift 2
    candidates=$(complete_line "$file" "$line")
    for word in "$@"; do
        if grep -qx -- "$word" <<<"$candidates"; then
            pass "completion of '$line' offers '$word'"
        else
            fail "completion of '$line' does not offer '$word' (got: ${candidates//$'\n'/ })"
        fi
    done
}

check_completion()
{
    local prefix=$1 exe=$2 file=$1/share/bash-completion/completions/exitlens
    expect_file "$file"
    [ -f "$file" ] || return
    if [ ! -f /usr/share/bash-completion/bash_completion ]; then
        fail "bash-completion is not installed (scripts/setup.sh installs it)"
        return
    fi
    # The completion runs the exitlens found in PATH, as it would for a user.
    local command
    # The subshell counts its own failures and returns them.
    (
        failures=0
        PATH="$(dirname "$exe"):$PATH"
        export PATH
        for command in $(list_commands "$exe"); do
            expect_completion "$file" "exitlens " "$command"
            # shellcheck disable=SC2046 # one argument per option
            expect_completion "$file" "exitlens $command --" $(list_options "$exe" "$command")
        done
        # shellcheck disable=SC2046 # one argument per option
        expect_completion "$file" "exitlens --" $(list_global_options "$exe")
        expect_completion "$file" "exitlens run --capture proc" process
        expect_completion "$file" "exitlens run --capture=net" network
        expect_completion "$file" "exitlens run --capture file,si" file,signal
        expect_completion "$file" "exitlens run --log-level w" warn
        expect_completion "$file" "exitlens run --user roo" root
        expect_completion "$file" "exitlens run --quiet -- bas" bash
        expect_completion "$file" "exitlens run --json $prefix/share/bash-completion/completions/exi" \
            "$prefix/share/bash-completion/completions/exitlens"
        # Session files for the window and for report/export; not other files.
        local sessions
        sessions=$(mktemp -d)
        touch "$sessions/crash.exitlens" "$sessions/notes.txt"
        cd "$sessions" || exit 1
        expect_completion "$file" "exitlens " crash.exitlens
        if grep -qx report <<<"$(list_commands "$exe")"; then
            expect_completion "$file" "exitlens report " crash.exitlens
            grep -qx notes.txt <<<"$(complete_line "$file" "exitlens report ")" &&
                fail "completion of 'exitlens report ' offers notes.txt, not a session"
        fi
        cd / && rm -rf "$sessions"
        exit $failures
    )
    failures=$((failures + $?))
}

check_icons()
{
    local prefix=$1 size png
    for size in $ICON_SIZES; do
        png=$prefix/share/icons/hicolor/${size}x${size}/apps/$APP_ID.png
        if grep -q "PNG image data, $size x $size," <<<"$(file "$png" 2>/dev/null)"; then
            pass "$size px icon"
        else
            fail "no $size x $size PNG at $png"
        fi
    done
    local svg=$prefix/share/icons/hicolor/scalable/apps/$APP_ID.svg
    grep -q "SVG" <<<"$(file "$svg" 2>/dev/null)" && pass "scalable icon" || fail "no SVG icon at $svg"
}

check_desktop_entry()
{
    local prefix=$1 entry=$1/share/applications/$APP_ID.desktop
    expect_file "$entry"
    [ -f "$entry" ] || return
    local out
    out=$(desktop-file-validate "$entry" 2>&1) && [ -z "$out" ] && pass "desktop-file-validate" ||
        fail "desktop-file-validate: $out"
    grep -qx "Exec=exitlens %f" "$entry" || fail "desktop entry does not run 'exitlens %f'"
    grep -qx "Categories=Development;Debugger;" "$entry" || fail "desktop entry categories"
    grep -qx "MimeType=$SESSION_MIME;" "$entry" || fail "desktop entry does not claim $SESSION_MIME"
    grep -qx "Icon=$APP_ID" "$entry" || fail "desktop entry icon is not $APP_ID"
}

check_metainfo()
{
    local prefix=$1 exe=$2 metainfo=$1/share/metainfo/$APP_ID.metainfo.xml
    expect_file "$metainfo"
    [ -f "$metainfo" ] || return
    local out
    out=$(appstreamcli validate --no-net --no-color "$metainfo" 2>&1) && pass "appstreamcli validate" ||
        fail "appstreamcli validate: $out"
    # The newest release (listed first) is the version being built: add a <release> when bumping it.
    local version newest
    version=$("$exe" --version | sed 's/^exitlens //')
    newest=$(grep -o '<release version="[^"]*"' "$metainfo" | head -n1 | sed 's/.*version="\([^"]*\)"/\1/')
    [ "$newest" = "$version" ] && pass "metainfo's newest release is $version" ||
        fail "metainfo's newest release is '$newest', the build is $version: add a <release> to resources/desktop/exitlens.metainfo.xml.in"
}

check_docs()
{
    local prefix=$1 exe=$2 doc=$1/share/doc/exitlens
    expect_file "$doc/copyright"
    expect_file "$doc/changelog.gz"
    [ -f "$doc/changelog.gz" ] || return
    local version top
    version=$("$exe" --version | sed 's/^exitlens //')
    top=$(zcat "$doc/changelog.gz" 2>/dev/null | head -n1 | sed -n 's/^exitlens (\([^)]*\)).*/\1/p')
    [ "$top" = "$version" ] && pass "changelog's newest entry is $version" ||
        fail "changelog's newest entry is '$top', the build is $version: add an entry to installer/changelog"
}

check_demo()
{
    local demo=$1/lib/exitlens/demo/exitlens-demo
    expect_file "$demo" -x
    grep -q "ELF 64-bit.*x86-64" <<<"$(file "$demo" 2>/dev/null)" || fail "the demo is not an x86-64 executable"
}

check_tree()
{
    local prefix=$1 exe=$1/bin/exitlens
    expect_file "$exe" -x
    [ -x "$exe" ] || return
    grep -qx "exitlens [0-9][0-9.]*" <<<"$("$exe" --version)" && pass "$("$exe" --version)" || fail "$exe --version"
    # The command line and the window are private programs in lib/exitlens/, started by exitlens,
    # a static front that keeps the caller's LD_* variables away from them (app/LoaderFront.c):
    # the loader never sees this preload, so it does not even warn that it cannot load it.
    expect_file "$prefix/lib/exitlens/exitlens-cli" -x
    expect_file "$prefix/lib/exitlens/exitlens-gui" -x
    local shielded
    shielded=$(LD_PRELOAD=libexitlens-nonexistent.so LD_LIBRARY_PATH=/nonexistent "$exe" --version 2>&1)
    [ "$shielded" = "$("$exe" --version)" ] && pass "exitlens starts untouched by LD_PRELOAD and LD_LIBRARY_PATH" ||
        fail "exitlens with LD_PRELOAD: $shielded"
    check_demo "$prefix"
    check_manpage "$prefix" "$exe"
    check_completion "$prefix" "$exe"
    check_icons "$prefix"
    check_desktop_entry "$prefix"
    check_metainfo "$prefix" "$exe"
    check_docs "$prefix" "$exe"
    expect_file "$prefix/share/mime/packages/$APP_ID.xml"
}
