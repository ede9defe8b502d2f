#!/usr/bin/env bash
# The parts of the one-table copy that README and docs/copy.md quote, measured alone on the
# benchmark's table (bench_copy.sh's `one` shape: 1M rows, LATIN9) in a throwaway cluster:
#   - the source's binary COPY of the table as charmig reads it now (`col::text` in a session
#     in the server's encoding) and as it did before (`convert_to(col::text, 'LATIN9')`);
#   - the name index's build alone with 0, 1 and 2 parallel workers, on the loaded UTF8 table;
#   - the table's three builds on two connections, at the server's default workers and as
#     charmig schedules them (the name index with one worker, the other two beside it with none).
# Best of REPEAT for each, through psql.
#
#   scripts/bench_copy_parts.sh [REPEAT]     (default 3; ROWS=1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT=${1:-3}
ROWS=${ROWS:-1000000}
. scripts/bench_cluster.sh
start_bench_cluster bench_copy_parts "-c max_wal_size=4GB"
now() { date +%s.%N; }
best() { sort -n | head -1; }

"${PSQL[@]}" -d postgres -c "CREATE DATABASE src ENCODING 'LATIN9' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'" \
  -c "CREATE DATABASE tgt ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'"
{ echo "CREATE SCHEMA bench;"; bench_table_sql 1 "$ROWS"; echo "VACUUM ANALYZE;"; } | "${PSQL[@]}" -d src
"$(tool pg_dump)" -h 127.0.0.1 -p "$PORT" -U postgres -d src | "${PSQL[@]}" -d tgt >/dev/null
"${PSQL[@]}" -d tgt -c "ALTER TABLE bench.t1 DROP CONSTRAINT t1_pkey" -c "DROP INDEX bench.t1_name_ix, bench.t1_created_ix" -c "VACUUM ANALYZE"

timed() { # DB CLIENT_ENCODING SQL... -> seconds
  local db=$1 enc=$2
  shift 2
  local s e
  s=$(now)
  PGCLIENTENCODING=$enc "${PSQL[@]}" -d "$db" "$@" >/dev/null
  e=$(now)
  echo "$e - $s" | bc
}
TEXT='COPY (SELECT "id", "name"::text, "city"::text, "note"::text, "amount", "created" FROM ONLY bench.t1) TO STDOUT (FORMAT binary)'
CONV="COPY (SELECT \"id\", convert_to(\"name\"::text, 'LATIN9'), convert_to(\"city\"::text, 'LATIN9'), convert_to(\"note\"::text, 'LATIN9'), \"amount\", \"created\" FROM ONLY bench.t1) TO STDOUT (FORMAT binary)"
build() { # WORKERS COLUMN
  timed tgt UTF8 -c "SET max_parallel_maintenance_workers = $1" -c "CREATE INDEX x ON bench.t1 ($2)" -c "DROP INDEX bench.x"
}
three() { # default | charmig
  "${PSQL[@]}" -d tgt -c CHECKPOINT
  local s e w1=2 w0=2
  [ "$1" = charmig ] && { w1=1; w0=0; }
  s=$(now)
  "${PSQL[@]}" -d tgt -c "SET max_parallel_maintenance_workers = $w1" -c "CREATE INDEX a ON bench.t1 (name)" &
  "${PSQL[@]}" -d tgt -c "SET max_parallel_maintenance_workers = $w0" -c "CREATE INDEX b ON bench.t1 (created)" -c "CREATE UNIQUE INDEX c ON bench.t1 (id)"
  wait
  e=$(now)
  "${PSQL[@]}" -d tgt -c "DROP INDEX bench.a, bench.b, bench.c"
  echo "$e - $s" | bc
}
declare -A T
for _ in $(seq "$REPEAT"); do
  T[src_text]+="$(timed src LATIN9 -c "$TEXT")"$'\n'
  T[src_conv]+="$(timed src UTF8 -c "$CONV")"$'\n'
  for w in 0 1 2; do T[name_w$w]+="$(build "$w" name)"$'\n'; done
  T[three_default]+="$(three default)"$'\n'
  T[three_charmig]+="$(three charmig)"$'\n'
done
echo "rows=$ROWS cores=$(nproc) repeat=$REPEAT, best of each, seconds:"
printf '%-62s %s\n' "source binary COPY, col::text in a LATIN9 session" "$(echo -n "${T[src_text]}" | best)" \
  "source binary COPY, convert_to(col::text, 'LATIN9')" "$(echo -n "${T[src_conv]}" | best)" \
  "name index alone, 0 workers" "$(echo -n "${T[name_w0]}" | best)" \
  "name index alone, 1 worker" "$(echo -n "${T[name_w1]}" | best)" \
  "name index alone, 2 workers" "$(echo -n "${T[name_w2]}" | best)" \
  "three builds on two connections, server default (2 workers)" "$(echo -n "${T[three_default]}" | best)" \
  "three builds on two connections, as charmig (1 / 0 workers)" "$(echo -n "${T[three_charmig]}" | best)"
