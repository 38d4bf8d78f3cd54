#!/bin/sh
# Installs the Debian packages slant needs to build and test (as root, or
# through sudo when it is available). Node.js and npm run the browser tests:
# machines that already have them (e.g. from NodeSource, whose nodejs
# conflicts with Debian's npm package) keep theirs.
set -eu
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2046
$SUDO apt-get install -y -qq $(cat .ci/packages) >/dev/null
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
