#!/usr/bin/env bash
# Wall time and busy CPU-seconds of the whole machine (all processes: servers included) around
# one command, read from /proc/stat. Used for the CPU figures of the copy benchmark in the
# README and docs/copy.md, e.g.:
#   scripts/busy_cpu.sh sh -c 'pg_dump -d src | psql -d tgt'
#   scripts/busy_cpu.sh charmig copy --from SRC --to TGT --plan PLAN --jobs 2
# Run it on an otherwise idle machine: every process counts.
set -euo pipefail
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
hz=$(getconf CLK_TCK)
b0=$(busy); s=$(date +%s.%N)
rc=0; "$@" >/dev/null || rc=$?
e=$(date +%s.%N); b1=$(busy)
python3 -c "import sys; w=float(sys.argv[2])-float(sys.argv[1]); c=(int(sys.argv[4])-int(sys.argv[3]))/int(sys.argv[5]); print(f'wall {w:.2f} s  busy CPU {c:.2f} s  ({c/w:.2f} cores)')" "$s" "$e" "$b0" "$b1" "$hz" >&2
exit $rc
