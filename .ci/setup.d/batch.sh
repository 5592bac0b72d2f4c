#!/usr/bin/env bash
# Tools for tests/batch_tty.rs: `script` (a pseudo-terminal for the progress bar test; Debian
# package bsdutils) and mkfifo (coreutils). Usually present already.
set -euo pipefail
missing=()
command -v script >/dev/null 2>&1 || missing+=(bsdutils)
command -v mkfifo >/dev/null 2>&1 || missing+=(coreutils)
if [ "${#missing[@]}" -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi
