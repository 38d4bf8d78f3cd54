#!/bin/sh
# Installs the Debian packages slant needs to build and test (as root, or
# through sudo when it is available).
set -eu
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2046
$SUDO apt-get install -y -qq $(cat .ci/packages) >/dev/null
