#!/usr/bin/env bash
# Benchmark of `charmig copy` against `pg_dump | psql`, all in one run on one throwaway cluster:
# a LATIN9 database of ROWS rows (~300 bytes per row, four tables, a primary key and a
# secondary index each) moved into fresh UTF8 databases three ways:
#   (a) pg_dump SRC | psql TGT            the dump is in LATIN9, the target server converts;
#   (b) pre-data schema | charmig copy --via client | post-data schema;
#   (c) pre-data schema | charmig copy --via dblink SERVER | post-data schema, SERVER a
#       dblink_fdw server (dblink);
#   (d) the same with SERVER a postgres_fdw server (foreign tables).
# (b), (c) and (d) include creating the tables and building the indexes and keys after the load
# (pg_dump --section=pre-data / post-data), as (a) does, so the three do the same work. The
# targets' contents are compared afterwards (row counts and a per-table md5 of the rows).
#
#   scripts/bench_copy.sh [ROWS] [REPEAT]      (defaults 1000000 and 1; JOBS=n sets --jobs)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
REPEAT=${2:-1}
JOBS=${JOBS:-$(nproc)}

. scripts/bench_cluster.sh
start_bench_cluster bench_copy "-c max_wal_size=4GB"
DUMP=("$(tool pg_dump)" -h 127.0.0.1 -p "$PORT" -U postgres)
URL() { echo "postgres://postgres@127.0.0.1:$PORT/$1"; }
"${PSQL[@]}" -d postgres -c "CREATE DATABASE src ENCODING 'LATIN9' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'"
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
CREATE INDEX t${k}_name_ix ON bench.t$k (name);
SQL
  done
  echo "VACUUM ANALYZE;"
} | "${PSQL[@]}" -d src
BYTES=$("${PSQL[@]}" -d src -Atc "SELECT sum(pg_relation_size(c.oid)) FROM pg_class c WHERE relnamespace = 'bench'::regnamespace AND relkind = 'r'")
SIZE=$("${PSQL[@]}" -d src -Atc "SELECT pg_size_pretty($BYTES::int8)")
"${DUMP[@]}" -d src --section=pre-data >"$DIR/pre.sql"
"${DUMP[@]}" -d src --section=post-data >"$DIR/post.sql"

fresh() {
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'"
}
now() { date +%s.%N; }
ta=(); tb=(); tc=(); td=()
for _ in $(seq "$REPEAT"); do
  fresh t_dump; fresh t_client; fresh t_dblink; fresh t_fdw
  "${PSQL[@]}" -d t_dblink -c "CREATE EXTENSION dblink" \
    -c "CREATE SERVER src_link FOREIGN DATA WRAPPER dblink_fdw OPTIONS (host '127.0.0.1', port '$PORT', dbname 'src')" \
    -c "CREATE USER MAPPING FOR postgres SERVER src_link OPTIONS (user 'postgres')"
  "${PSQL[@]}" -d t_fdw -c "CREATE EXTENSION postgres_fdw" \
    -c "CREATE SERVER src_link FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '$PORT', dbname 'src')" \
    -c "CREATE USER MAPPING FOR postgres SERVER src_link OPTIONS (user 'postgres')"
  s=$(now); "${DUMP[@]}" -d src | "${PSQL[@]}" -d t_dump >/dev/null; e=$(now); ta+=("$(echo "$e - $s" | bc)")
  for way in client dblink fdw; do
    VIA=(--via client); [ "$way" != client ] && VIA=(--via dblink src_link)
    s=$(now)
    "${PSQL[@]}" -d "t_$way" -f "$DIR/pre.sql" >/dev/null
    m1=$(now)
    TIMEFORMAT="%U %S"
    cpu=$( { time "$CHARMIG" copy --from "$(URL src)" --to "$(URL "t_$way")" "${VIA[@]}" --jobs "$JOBS" --log-file "$DIR/$way.log" 2>/dev/null; } 2>&1 )
    m2=$(now)
    "${PSQL[@]}" -d "t_$way" -f "$DIR/post.sql" >/dev/null
    e=$(now)
    echo "$way: schema $(echo "$m1 - $s" | bc) s, charmig copy $(echo "$m2 - $m1" | bc) s (charmig's own CPU: user+sys $cpu s), indexes and keys $(echo "$e - $m2" | bc) s"
    case $way in client) tb+=("$(echo "$e - $s" | bc)");; dblink) tc+=("$(echo "$e - $s" | bc)");; fdw) td+=("$(echo "$e - $s" | bc)");; esac
  done
done

# The three targets hold the same rows.
CHECK="SELECT string_agg(n || ':' || h, ' ' ORDER BY t) FROM (
  SELECT 't1' t, count(*) n, md5(string_agg(x::text, ',' ORDER BY x.id)) h FROM bench.t1 x UNION ALL
  SELECT 't2', count(*), md5(string_agg(x::text, ',' ORDER BY x.id)) FROM bench.t2 x UNION ALL
  SELECT 't3', count(*), md5(string_agg(x::text, ',' ORDER BY x.id)) FROM bench.t3 x UNION ALL
  SELECT 't4', count(*), md5(string_agg(x::text, ',' ORDER BY x.id)) FROM bench.t4 x) s"
A=$("${PSQL[@]}" -d t_dump -Atc "$CHECK"); B=$("${PSQL[@]}" -d t_client -Atc "$CHECK"); C=$("${PSQL[@]}" -d t_dblink -Atc "$CHECK"); D=$("${PSQL[@]}" -d t_fdw -Atc "$CHECK")
[ "$A" = "$B" ] && [ "$A" = "$C" ] && [ "$A" = "$D" ] || { echo "bench_copy.sh: the targets differ:"; echo "dump   $A"; echo "client $B"; echo "dblink $C"; echo "fdw    $D"; exit 1; }
IDX=$("${PSQL[@]}" -d t_client -Atc "SELECT count(*) FROM pg_indexes WHERE schemaname = 'bench'")

python3 - "$ROWS" "$BYTES" "$SIZE" "$JOBS" "$(nproc)" "$IDX" "${ta[*]}" "${tb[*]}" "${tc[*]}" "${td[*]}" <<'PY'
import sys
rows, nbytes, size, jobs, cores, idx = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
runs = [list(map(float, sys.argv[k].split())) for k in (7, 8, 9, 10)]
best = [min(r) for r in runs]
print(f"source: {rows} rows in 4 LATIN9 tables, heap {size}; {idx} indexes rebuilt in every target; charmig --jobs {jobs} on {cores} cores")
names = ["(a) pg_dump | psql (server converts)", "(b) charmig copy --via client", "(c) charmig copy --via dblink (dblink_fdw)", "(d) charmig copy --via dblink (postgres_fdw)"]
for n, b, r in zip(names, best, runs):
    print(f"{n:<40}: {b:7.2f} s  ({nbytes / b / 1e6:6.1f} MB/s of heap, {rows / b:9.0f} rows/s)   runs: {' '.join(f'{x:.2f}' for x in r)}")
print(f"best: client / pg_dump|psql = {best[1] / best[0]:.2f}x, dblink_fdw / pg_dump|psql = {best[2] / best[0]:.2f}x, "
      f"postgres_fdw / pg_dump|psql = {best[3] / best[0]:.2f}x (goal < 1)")
print("targets identical: row counts and md5 of every table's rows")
PY
