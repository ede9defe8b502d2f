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
