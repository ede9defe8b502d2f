#!/usr/bin/env bash
# Benchmark of the live PostgreSQL scan against its ceiling, all in one run on one throwaway
# cluster: a LATIN9 table of ROWS rows (~120 bytes of text per row in three columns), then
#   (a) psql COPY of the same columns to /dev/null (the ceiling: the server's own export),
#   (b) charmig scan --db (release build),
#   (c) a server-side SQL classification query (convert_to/octet_length per column).
# Each is timed REPEAT times, interleaved; the best and the median of each are compared (the
# best is the figure least disturbed by other load on the machine).
#
#   scripts/bench_pg.sh [ROWS] [REPEAT]        (defaults 1000000 and 3; JOBS=n sets --jobs)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
REPEAT=${2:-3}
JOBS=${JOBS:-$(nproc)}

. scripts/bench_cluster.sh
start_bench_cluster bench_pg
"${PSQL[@]}" -d postgres -c "CREATE DATABASE bench ENCODING 'LATIN9' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'"
# Latin-9 text: ASCII with é (E9), ü (FC), € (A4), œ (BD); every 1000th row holds a C1 byte (0x80).
"${PSQL[@]}" -d bench <<SQL
CREATE TABLE bench (id int PRIMARY KEY, a varchar(60), b varchar(60), c text);
INSERT INTO bench
SELECT i,
       'Rue de la Paix numero ' || i || ' caf' || convert_from('\xe9'::bytea, 'LATIN9') || ' ' || left(md5(i::text), 12),
       'M' || convert_from('\xfc'::bytea, 'LATIN9') || 'ller GmbH ' || left(md5((i + 1)::text), 20),
       'prix ' || (i % 997) || ' ' || convert_from('\xa4'::bytea, 'LATIN9') || ' ' || left(md5((i + 2)::text), 30)
         || CASE WHEN i % 1000 = 0 THEN convert_from('\x80'::bytea, 'LATIN9') ELSE convert_from('\xbd'::bytea, 'LATIN9') END
  FROM generate_series(1, $ROWS) i;
VACUUM ANALYZE bench;
SQL
BYTES=$("${PSQL[@]}" -d bench -Atc "SELECT sum(octet_length(a) + octet_length(b) + octet_length(c)) FROM bench")
SIZE=$("${PSQL[@]}" -d bench -Atc "SELECT pg_size_pretty(pg_relation_size('bench'))")

COPY_SQL="COPY (SELECT id, a, b, c FROM ONLY public.bench) TO STDOUT (FORMAT text, ENCODING 'LATIN9')"
CLASSIFY_SQL="SELECT count(*) FILTER (WHERE octet_length(convert_to(a, 'UTF8')) <> octet_length(a)),
       max(octet_length(convert_to(a, 'UTF8'))),
       count(*) FILTER (WHERE octet_length(convert_to(b, 'UTF8')) <> octet_length(b)),
       max(octet_length(convert_to(b, 'UTF8'))),
       count(*) FILTER (WHERE octet_length(convert_to(c, 'UTF8')) <> octet_length(c)),
       max(octet_length(convert_to(c, 'UTF8')))
  FROM bench"
URL="postgres://postgres@127.0.0.1:$PORT/bench"

now() { date +%s.%N; }
best() { python3 -c "import sys; print(min(float(x) for x in sys.argv[1:]))" "$@"; }
"${PSQL[@]}" -d bench -c "$COPY_SQL" >/dev/null   # warm the cache
ta=(); tb=(); tc=()
for _ in $(seq "$REPEAT"); do
  s=$(now); "${PSQL[@]}" -d bench -c "$COPY_SQL" >/dev/null; e=$(now); ta+=("$(echo "$e - $s" | bc)")
  s=$(now); "$CHARMIG" scan --db "$URL" --jobs "$JOBS" --out "$DIR/report" 2>/dev/null || [ $? -eq 1 ]; e=$(now); tb+=("$(echo "$e - $s" | bc)")
  s=$(now); "${PSQL[@]}" -d bench -Atc "$CLASSIFY_SQL" >/dev/null; e=$(now); tc+=("$(echo "$e - $s" | bc)")
done
A=$(best "${ta[@]}"); B=$(best "${tb[@]}"); C=$(best "${tc[@]}")
grep -E "^ *(lossy|Lossy)|public.bench" "$DIR/report/summary.txt" | head -5 || true
python3 - "$A" "$B" "$C" "$ROWS" "$BYTES" "$SIZE" "$JOBS" "$(nproc)" "${ta[*]}" "${tb[*]}" "${tc[*]}" <<'PY'
import sys
a, b, c = map(float, sys.argv[1:4])
rows, text_bytes, size, jobs, cores = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7], sys.argv[8]
print(f"table: {rows} rows, {text_bytes / rows:.0f} bytes of text per row, heap {size}; charmig --jobs {jobs} on {cores} cores")
print(f"(a) psql COPY ... TO STDOUT (ENCODING 'LATIN9') > /dev/null : {a:7.2f} s  ({text_bytes / a / 1e6:6.1f} MB/s of text)   runs: {sys.argv[9]}")
print(f"(b) charmig scan --db                                    : {b:7.2f} s  ({text_bytes / b / 1e6:6.1f} MB/s of text)   runs: {sys.argv[10]}")
print(f"(c) server-side SQL classification (convert_to)          : {c:7.2f} s  ({text_bytes / c / 1e6:6.1f} MB/s of text)   runs: {sys.argv[11]}")
print(f"best:   charmig / psql COPY = {b / a:.2f}x (goal <= 1.3x);  SQL query / charmig = {c / b:.2f}x")
med = [sorted(map(float, sys.argv[k].split()))[len(sys.argv[k].split()) // 2] for k in (9, 10, 11)]
print(f"median: charmig / psql COPY = {med[1] / med[0]:.2f}x;  SQL query / charmig = {med[2] / med[1]:.2f}x "
      f"(medians {med[0]:.2f} s, {med[1]:.2f} s, {med[2]:.2f} s)")
PY
