#!/usr/bin/env bash
# Benchmark of `charmig verify` (data side: every row of both databases read, the source's
# converted from LATIN9, hashed, compared) against the cost of reading the same rows with psql
# (`COPY … TO STDOUT` of every table on both sides, sequentially, into /dev/null), in one run on
# one throwaway cluster. Source: a LATIN9 database of ROWS rows (~300 bytes per row, four
# tables, as scripts/bench_copy.sh builds); target: `pg_dump | psql` into UTF8.
#
#   scripts/bench_verify.sh [ROWS]      (default 1000000; JOBS=n sets --jobs, default nproc)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
JOBS=${JOBS:-$(nproc)}

. scripts/bench_cluster.sh
start_bench_cluster bench_verify "-c max_wal_size=4GB"
DUMP=("$(tool pg_dump)" -h 127.0.0.1 -p "$PORT" -U postgres)
URL() { echo "postgres://postgres@127.0.0.1:$PORT/$1"; }
"${PSQL[@]}" -d postgres -c "CREATE DATABASE src ENCODING 'LATIN9' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'" \
  -c "CREATE DATABASE tgt ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'"
PER=$((ROWS / 4))
{
  echo "CREATE SCHEMA bench;"
  for k in 1 2 3 4; do cat <<SQL
CREATE TABLE bench.t$k (id int8 PRIMARY KEY, name varchar(80), city varchar(60), note text, amount numeric(12,2), created timestamptz);
INSERT INTO bench.t$k
SELECT i, 'Jos' || convert_from('\xe9'::bytea, 'LATIN9') || ' M' || convert_from('\xfc'::bytea, 'LATIN9') || 'ller ' || left(md5(i::text), 16),
       'K' || convert_from('\xf6'::bytea, 'LATIN9') || 'ln ' || (i % 1000),
       repeat('prix ' || convert_from('\xa4'::bytea, 'LATIN9') || ' ' || (i % 997) || ' ' || convert_from('\xbd'::bytea, 'LATIN9') || 'uvre caf' || convert_from('\xe9'::bytea, 'LATIN9') || ' ', 8) || left(md5((i + $k)::text), 20),
       (i % 100000) / 100.0, timestamptz '2020-01-01 00:00:00+00' + i * interval '1 minute'
  FROM generate_series(1, $PER) i;
SQL
  done
  echo "VACUUM ANALYZE;"
} | "${PSQL[@]}" -d src
"${DUMP[@]}" -d src | "${PSQL[@]}" -d tgt >/dev/null
"${PSQL[@]}" -d tgt -c "VACUUM ANALYZE" >/dev/null
BYTES=$("${PSQL[@]}" -d src -Atc "SELECT sum(pg_relation_size(c.oid)) FROM pg_class c WHERE relnamespace = 'bench'::regnamespace AND relkind = 'r'")
now() { date +%s.%N; }

s=$(now)
for db in src tgt; do for k in 1 2 3 4; do "${PSQL[@]}" -d $db -c "COPY bench.t$k TO STDOUT" >/dev/null; done; done
e=$(now); base=$(echo "$e - $s" | bc)

s=$(now)
code=0; "$CHARMIG" verify --from "$(URL src)" --to "$(URL tgt)" --jobs 1 --out "$DIR/v1" 2>/dev/null || code=$?
e=$(now); one=$(echo "$e - $s" | bc)
[ "$code" = 0 ] || { echo "bench_verify.sh: verify --jobs 1 exited $code"; cat "$DIR/v1/summary.txt"; exit 1; }
s=$(now)
code=0; "$CHARMIG" verify --from "$(URL src)" --to "$(URL tgt)" --jobs "$JOBS" --out "$DIR/vn" 2>/dev/null || code=$?
e=$(now); many=$(echo "$e - $s" | bc)
[ "$code" = 0 ] || { echo "bench_verify.sh: verify --jobs $JOBS exited $code"; cat "$DIR/vn/summary.txt"; exit 1; }

python3 - "$ROWS" "$BYTES" "$JOBS" "$(nproc)" "$base" "$one" "$many" <<'PY'
import sys
rows, nbytes, jobs, cores = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
base, one, many = map(float, sys.argv[5:8])
print(f"source: {rows} rows in 4 LATIN9 tables, heap {nbytes / 1e6:.0f} MB; target the same rows in UTF8; {cores} cores")
for name, t in [("psql COPY of both sides, sequential (baseline)", base),
                ("charmig verify --jobs 1", one), (f"charmig verify --jobs {jobs}", many)]:
    print(f"{name:<48}: {t:7.2f} s  ({2 * nbytes / t / 1e6:6.1f} MB/s of heap read, {2 * rows / t:9.0f} rows/s over both sides)")
print(f"verify --jobs 1 / baseline = {one / base:.2f}x, verify --jobs {jobs} / baseline = {many / base:.2f}x")
PY
