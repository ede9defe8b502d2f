#!/usr/bin/env bash
# Peak memory (RSS) of the clean-up commands against the number of cells they change:
#   scripts/bench_memory.sh [CELLS...]        (default: 100000 300000)
# For each size, a throwaway LATIN9 database gets a table of CELLS rows whose `v` is too long
# for 10 bytes after conversion and whose `note` holds stray cp1252 quotes. It then runs, each
# under /usr/bin/time -v:
#   truncate --db URL --table t --limit-bytes 10 --apply     (finds the cells itself)
#   scan --max-exceptions CELLS, then repair --scan scan.json --db URL --apply
#   repair --restore, truncate --restore
# and prints peak RSS (MiB) and elapsed time per command. Not a timed test: figures in
# benches/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench_cluster.sh
start_bench_cluster memory
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 300000)

measure() { # LABEL CMD...: prints LABEL, peak RSS MiB, elapsed, exit code
  local label=$1; shift
  local out="$DIR/time.txt" rc=0
  /usr/bin/time -v -o "$out" "$@" >"$DIR/cmd.out" 2>"$DIR/cmd.err" || rc=$?
  local kb el
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out")
  el=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out")
  printf '%-28s %9d cells  peak RSS %7.1f MiB  elapsed %s  exit %s\n' "$label" "$N" "$(awk -v k="$kb" 'BEGIN{print k/1024}')" "$el" "$rc"
  if [ "$rc" -ge 2 ]; then tail -5 "$DIR/cmd.err" >&2; fi
}

for N in "${SIZES[@]}"; do
  DB=mem_$N
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB ENCODING 'LATIN9' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'"
  "${PSQL[@]}" -d "$DB" -c "SET client_encoding = 'LATIN9';
    CREATE TABLE t (id int PRIMARY KEY, v text, note text);
    INSERT INTO t SELECT g, repeat(convert_from('\\xe9'::bytea, 'LATIN9'), 6) || g,
      convert_from('\\x93'::bytea, 'LATIN9') || 'note ' || g || convert_from('\\x94'::bytea, 'LATIN9')
      FROM generate_series(1, $N) g; ANALYZE t;"
  URL="postgres://postgres@127.0.0.1:$PORT/$DB"
  measure "truncate --apply" "$CHARMIG" truncate --db "$URL" --table t --limit-bytes 10 --apply
  measure "scan (for repair)" "$CHARMIG" scan --db "$URL" --table t --max-exceptions "$((2 * N))" --out "$DIR/scan-$N"
  measure "repair --apply" "$CHARMIG" repair --scan "$DIR/scan-$N/scan.json" --db "$URL" --apply
  measure "repair --restore" "$CHARMIG" repair --restore --db "$URL"
  measure "truncate --restore" "$CHARMIG" truncate --restore --db "$URL"
  "${PSQL[@]}" -d postgres -c "DROP DATABASE $DB"
done
