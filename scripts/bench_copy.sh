#!/usr/bin/env bash
# Benchmark of `charmig copy` against what a DBA would run instead, all in one run on one
# throwaway cluster, LATIN9 source -> fresh UTF8 targets, two data shapes:
#   one:  1 table of ROWS rows (~120 bytes each), a primary key and 2 secondary indexes;
#   many: 8 tables of ROWS/8 rows each, the same keys and indexes.
# Ways, each into a fresh UTF8 database, each including the schema and the index builds:
#   dump       pg_dump SRC | psql TGT (the dump is in LATIN9, the target server converts)
#   dir        pg_dump -Fd -j JOBS -Z0, then pg_restore -j JOBS
#   pgcopydb   pgcopydb clone --table-jobs JOBS --index-jobs JOBS (Debian's pgcopydb, installed
#              here when missing; it also VACUUM ANALYZEs the target, which is its way)
#   plan       the documented route: pg_dump --schema-only | psql, then
#              charmig copy --via client --plan PLAN (01 drops the keys and indexes, the copy
#              builds each table's right after its load, 03 does the rest)
#   plan_split plan with --split-min-size 64MB: a big table in block ranges on JOBS connections
#              even when both servers share this machine (by default they then use at most
#              half its cores for ranges: none on 2 cores)
#   client     pre-data schema, charmig copy --via client, post-data schema
#   dblink     like plan, --via dblink SERVER with a dblink_fdw server
#   fdw        like plan, --via dblink SERVER with a postgres_fdw server
# The scan and plan that `plan`, `dblink` and `fdw` need are made once per shape, not timed.
# At the end every target must be identical to the dump's (per table: row count, md5 of the
# rows in key order, index and constraint definitions), else the script fails. It prints the
# best time of each way, its ratio to `dump`, and charmig's peak RSS.
#
#   scripts/bench_copy.sh [REPEAT]     (default 3; ROWS=1000000 JOBS=$(nproc) SHAPES="one many"
#                                       WAYS="dump dir pgcopydb plan client dblink fdw")
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT=${1:-3}
ROWS=${ROWS:-1000000}
JOBS=${JOBS:-$(nproc)}
SHAPES=${SHAPES:-one many}
WAYS=${WAYS:-dump dir pgcopydb plan client dblink fdw}

if [[ " $WAYS " == *" pgcopydb "* ]] && ! command -v pgcopydb >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    (apt-get install -y pgcopydb || { apt-get update && apt-get install -y pgcopydb; }) >/dev/null
  else
    echo "bench_copy.sh: pgcopydb is not installed (apt-get install pgcopydb), or leave it out: WAYS=\"dump dir plan client dblink fdw\"" >&2
    exit 2
  fi
fi

. scripts/bench_cluster.sh
start_bench_cluster bench_copy "-c max_wal_size=4GB"
export PATH="$BIN:$PATH"
DUMP=("$(tool pg_dump)" -h 127.0.0.1 -p "$PORT" -U postgres)
RESTORE=("$(tool pg_restore)" -h 127.0.0.1 -p "$PORT" -U postgres)
URL() { echo "postgres://postgres@127.0.0.1:$PORT/$1"; }
now() { date +%s.%N; }

# The source databases.
for shape in $SHAPES; do
  if [ "$shape" = one ]; then NT=1; else NT=8; fi
  PER=$((ROWS / NT))
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE src_$shape ENCODING 'LATIN9' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'"
  {
    echo "CREATE SCHEMA bench;"
    for k in $(seq "$NT"); do bench_table_sql "$k" "$PER"; done
    echo "VACUUM ANALYZE;"
  } | "${PSQL[@]}" -d "src_$shape"
  "${DUMP[@]}" -d "src_$shape" --section=pre-data >"$DIR/pre_$shape.sql"
  "${DUMP[@]}" -d "src_$shape" --section=post-data >"$DIR/post_$shape.sql"
  "${DUMP[@]}" -d "src_$shape" --schema-only >"$DIR/schema_$shape.sql"
  if [[ " $WAYS " == *" plan"* || " $WAYS " == *" dblink "* || " $WAYS " == *" fdw "* ]]; then
    "$CHARMIG" scan --db "$(URL "src_$shape")" --out "$DIR/scan_$shape" >/dev/null 2>&1 || true
    "$CHARMIG" plan --scan "$DIR/scan_$shape/scan.json" --db "$(URL "src_$shape")" --out "$DIR/plan_$shape" >/dev/null 2>&1
  fi
done

fresh() {
  "${PSQL[@]}" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'" -c "CHECKPOINT"
  sync # the previous way's dirty pages written now, not during the next way's timing
}
server() { # DB WRAPPER SHAPE
  "${PSQL[@]}" -d "$1" -c "CREATE EXTENSION IF NOT EXISTS dblink" -c "CREATE EXTENSION IF NOT EXISTS postgres_fdw" \
    -c "CREATE SERVER src_link FOREIGN DATA WRAPPER $2 OPTIONS (host '127.0.0.1', port '$PORT', dbname 'src_$3')" \
    -c "CREATE USER MAPPING FOR postgres SERVER src_link OPTIONS (user 'postgres')"
}
# charmig with its peak RSS (KB) and CPU (user+sys) appended to $DIR/rss_<shape>_<way>.
charmig_copy() { # SHAPE WAY ARGS...
  local shape=$1 way=$2
  shift 2
  /usr/bin/time -f "%M %U %S" -a -o "$DIR/rss_${shape}_$way" "$CHARMIG" copy --from "$(URL "src_$shape")" --to "$(URL "t_${shape}_$way")" \
    --jobs "$JOBS" --log-file "$DIR/${shape}_$way.log" "$@" 2>/dev/null
}

declare -A TIMES
for _ in $(seq "$REPEAT"); do
  for shape in $SHAPES; do
    for way in $WAYS; do
      t="t_${shape}_$way"
      fresh "$t"
      case $way in dblink) server "$t" dblink_fdw "$shape" ;; fdw) server "$t" postgres_fdw "$shape" ;; esac
      rm -rf "$DIR/dump_dir" "$DIR/pgcopydb"
      s=$(now)
      case $way in
        dump) "${DUMP[@]}" -d "src_$shape" | "${PSQL[@]}" -d "$t" >/dev/null ;;
        dir)
          "${DUMP[@]}" -d "src_$shape" -Fd -j "$JOBS" -Z0 -f "$DIR/dump_dir"
          "${RESTORE[@]}" -d "$t" -j "$JOBS" "$DIR/dump_dir"
          ;;
        pgcopydb)
          pgcopydb clone --source "$(URL "src_$shape")" --target "$(URL "$t")" --table-jobs "$JOBS" --index-jobs "$JOBS" \
            --dir "$DIR/pgcopydb" --no-owner --no-acl >"$DIR/pgcopydb.log" 2>&1 || { tail -20 "$DIR/pgcopydb.log"; exit 1; }
          ;;
        plan)
          "${PSQL[@]}" -d "$t" -f "$DIR/schema_$shape.sql" >/dev/null
          charmig_copy "$shape" "$way" --via client --plan "$DIR/plan_$shape"
          ;;
        plan_split)
          "${PSQL[@]}" -d "$t" -f "$DIR/schema_$shape.sql" >/dev/null
          charmig_copy "$shape" "$way" --via client --plan "$DIR/plan_$shape" --split-min-size 64MB
          ;;
        client)
          "${PSQL[@]}" -d "$t" -f "$DIR/pre_$shape.sql" >/dev/null
          charmig_copy "$shape" "$way" --via client
          "${PSQL[@]}" -d "$t" -f "$DIR/post_$shape.sql" >/dev/null
          ;;
        dblink | fdw)
          "${PSQL[@]}" -d "$t" -f "$DIR/schema_$shape.sql" >/dev/null
          charmig_copy "$shape" "$way" --via dblink src_link --plan "$DIR/plan_$shape"
          ;;
      esac
      e=$(now)
      TIMES[$shape.$way]+="$(echo "$e - $s" | bc) "
    done
  done
done

# Every target equals the dump's: rows (count, md5 in key order), indexes, constraints.
check() { # DB
  "${PSQL[@]}" -d "$1" -Atc "SELECT string_agg(x, ' | ' ORDER BY x) FROM (
    SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'bench'
    UNION ALL SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'bench'::regnamespace) s(x)"
  for tb in $("${PSQL[@]}" -d "$1" -Atc "SELECT relname FROM pg_class WHERE relnamespace = 'bench'::regnamespace AND relkind = 'r' ORDER BY 1"); do
    "${PSQL[@]}" -d "$1" -Atc "SELECT '$tb ' || count(*) || ' ' || md5(string_agg(x::text, ',' ORDER BY x.id)) FROM bench.$tb x"
  done
}
for shape in $SHAPES; do
  first=$(echo $WAYS | cut -d' ' -f1)
  want=$(check "t_${shape}_$first")
  for way in $WAYS; do
    got=$(check "t_${shape}_$way")
    [ "$got" = "$want" ] || { echo "bench_copy.sh: $shape: target of $way differs from $first's:"; diff <(echo "$want" | tr '|' '\n') <(echo "$got" | tr '|' '\n') || true; exit 1; }
  done
done

{
  echo "rows=$ROWS jobs=$JOBS cores=$(nproc) repeat=$REPEAT load=$(cut -d' ' -f1-3 /proc/loadavg)"
  for shape in $SHAPES; do
    for way in $WAYS; do
      rss=""
      [ -f "$DIR/rss_${shape}_$way" ] && rss=$(sort -n "$DIR/rss_${shape}_$way" | tail -1)
      echo "$shape $way ${TIMES[$shape.$way]}| $rss"
    done
  done
} >"$DIR/results"
cat "$DIR/results"
python3 - "$DIR/results" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
print(lines[0])
names = {"dump": "pg_dump | psql", "dir": "pg_dump -Fd -j / pg_restore -j", "pgcopydb": "pgcopydb clone",
         "plan": "charmig copy --via client --plan",
         "plan_split": "charmig copy --via client --plan --split-min-size 64MB", "client": "charmig copy --via client (pre/post-data)",
         "dblink": "charmig copy --via dblink --plan (dblink_fdw)", "fdw": "charmig copy --via dblink --plan (postgres_fdw)"}
base = {}
for l in lines[1:]:
    head, rss = l.split("|")
    shape, way, *ts = head.split()
    ts = [float(t) for t in ts]
    best = min(ts)
    base.setdefault(shape, best)
    extra = ""
    if rss.strip():
        kb, u, s = rss.split()
        extra = f"   charmig peak RSS {int(kb) / 1024:.0f} MB, CPU {float(u) + float(s):.2f} s"
    shape_name = "1 table" if shape == "one" else "8 tables"
    runs = " ".join(f"{t:.2f}" for t in ts)
    print(f"{shape_name:<9} {names[way]:<48} {best:6.2f} s  {best / base[shape]:5.2f}x   runs: {runs}{extra}")
print("ratios against the first way of each shape; all targets identical (rows, indexes, constraints)")
PY
