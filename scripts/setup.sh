#!/usr/bin/env bash
# Installs everything ExitLens needs to build, run and test on Debian 12, from Debian's packages.
# Run as root (or through sudo). Safe to run again: apt-get skips what is already installed.
# clang-14 and libclang-rt-14-dev (libFuzzer, ASan, UBSan) build the fuzz preset that the
# reliability test runs (scripts/fuzz.sh, docs/reliability.md).
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    echo "scripts/setup.sh installs packages: run it as root (or with sudo)." >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends \
    build-essential cmake ninja-build pkg-config \
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libsqlite3-dev libgl-dev \
    libspdlog-dev libfmt-dev libseccomp-dev libelf-dev zlib1g-dev libre2-dev \
    golang-go strace shfmt fzf age gojq \
    xvfb xauth sqlite3 python3 ca-certificates \
    librsvg2-bin dpkg-dev file lintian appstream desktop-file-utils shared-mime-info \
    libglib2.0-bin man-db bash-completion \
    clang-14 libclang-rt-14-dev
