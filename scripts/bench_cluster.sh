# Sourced by the benchmark scripts: builds charmig (release) and starts a throwaway
# PostgreSQL cluster tuned for loading, stopped and removed when the script exits.
# Call: start_bench_cluster NAME [EXTRA_SERVER_OPTIONS]. Sets BIN, CHARMIG, DIR, AS, PORT,
# PSQL (an array) and the function `tool NAME` (path of a PostgreSQL program).

BIN=$(command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)" || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
tool() { if [ -x "$BIN/$1" ]; then echo "$BIN/$1"; else command -v "$1"; fi; }

start_bench_cluster() {
  local name=$1 extra=${2:-}
  [ -x "$BIN/initdb" ] || { echo "$name: PostgreSQL server binaries not found" >&2; exit 1; }
  cargo build --release --quiet
  CHARMIG=$PWD/target/release/charmig
  DIR=$(mktemp -d "/tmp/charmig-$name-XXXXXX")
  AS=()
  if [ "$(id -u)" -eq 0 ]; then AS=(runuser -u postgres --); chown postgres:postgres "$DIR"; fi
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  trap stop_bench_cluster EXIT
  "${AS[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C -N >"$DIR/initdb.log" 2>&1 </dev/null
  "${AS[@]}" "$(tool pg_ctl)" -D "$DIR/data" -l "$DIR/server.log" -w \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c shared_buffers=512MB -c autovacuum=off $extra" \
    start >/dev/null </dev/null
  export PGCLIENTENCODING=UTF8
  PSQL=("$(tool psql)" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres)
}

stop_bench_cluster() {
  if [ -f "$DIR/data/postmaster.pid" ]; then "${AS[@]}" "$(tool pg_ctl)" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true; fi
  rm -rf "$DIR"
}

# The SQL of benchmark table bench.tK in a LATIN9 database: PER rows of ~120 bytes (accented
# text, a numeric, a timestamptz), a bigint primary key and indexes on name and created.
bench_table_sql() { # K PER
  local k=$1 per=$2
  cat <<SQL
CREATE TABLE bench.t$k (id int8 PRIMARY KEY, name varchar(40), city varchar(30), note text, amount numeric(12,2), created timestamptz);
INSERT INTO bench.t$k
SELECT i, 'Jos' || convert_from('\xe9'::bytea, 'LATIN9') || ' M' || convert_from('\xfc'::bytea, 'LATIN9') || 'ller ' || left(md5(i::text), 12),
       'K' || convert_from('\xf6'::bytea, 'LATIN9') || 'ln ' || (i % 1000),
       'prix ' || convert_from('\xa4'::bytea, 'LATIN9') || ' ' || (i % 997) || ' ' || convert_from('\xbd'::bytea, 'LATIN9') || 'uvre ' || left(md5((i + $k)::text), 8),
       (i % 100000) / 100.0, timestamptz '2020-01-01 00:00:00+00' + i * interval '1 minute'
  FROM generate_series(1, $per) i;
CREATE INDEX t${k}_name_ix ON bench.t$k (name);
CREATE INDEX t${k}_created_ix ON bench.t$k (created);
SQL
}
