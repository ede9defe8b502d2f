#!/usr/bin/env bash
# Runs every charmig test on a fresh Debian machine with Rust: installs what the tests need
# and the machine lacks (Debian's PostgreSQL server and client: the test suite starts its own
# throwaway cluster, and uses psql and pg_dump; python3: a test re-runs the charset table
# generator; openssl: the TLS tests make certificates; chromium: the report is rendered in a
# headless browser), checks formatting, then runs `cargo test`. Tests that need PostgreSQL fail,
# never skip, when it cannot start.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_tool() {
  command -v "$1" >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/"$1" >/dev/null 2>&1
}

missing=()
for t in initdb pg_ctl postgres psql pg_dump; do
  pg_tool "$t" || { missing+=(postgresql postgresql-client); break; }
done
command -v python3 >/dev/null 2>&1 || missing+=(python3)
# openssl: the TLS tests make their own CA and server certificates with it.
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# chromium: tests/report_browser.rs renders report.html in headless Chromium (fails, never
# skips, without it).
if [ -z "${CHARMIG_CHROMIUM:-}" ]; then
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing Debian packages the tests need: ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "test.sh: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # policy-rc.d keeps the package from starting its own cluster: the tests start theirs.
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  $SUDO rm -f /usr/sbin/policy-rc.d
  for t in initdb pg_ctl postgres psql pg_dump; do
    pg_tool "$t" || { echo "test.sh: $t still not found after installing PostgreSQL" >&2; exit 1; }
  done
fi

if cargo fmt --version >/dev/null 2>&1; then
  cargo fmt --check
else
  echo "test.sh: rustfmt is not installed: formatting not checked" >&2
fi

export CHARMIG_TEST_REQUIRE_PG=1
cargo test --locked "$@"
