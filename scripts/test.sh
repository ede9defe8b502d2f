#!/usr/bin/env bash
# Runs every charmig test on a fresh Debian machine with Rust: installs Debian's PostgreSQL
# server when its binaries are missing (the test suite starts its own throwaway cluster),
# then runs `cargo test`. Tests that need PostgreSQL fail, never skip, when it cannot start.
set -euo pipefail
cd "$(dirname "$0")/.."

have_pg() {
  command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

if ! have_pg; then
  echo "test.sh: PostgreSQL server binaries not found: installing Debian's postgresql" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # policy-rc.d keeps the package from starting its own cluster: the tests start theirs.
  if [ -n "$SUDO" ] || [ -w /usr/sbin ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
  fi
  $SUDO apt-get install -y -qq --no-install-recommends postgresql postgresql-contrib >/dev/null \
    || $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  $SUDO rm -f /usr/sbin/policy-rc.d
  have_pg || { echo "test.sh: postgresql installed but initdb still not found" >&2; exit 1; }
fi

export CHARMIG_TEST_REQUIRE_PG=1
cargo test --locked "$@"
