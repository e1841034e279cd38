#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on 127.0.0.1 for the tests (`make test` starts and stops it):
#   scripts/postgres.sh start DIR   initdb into DIR, start the server on a free port, print its URL
#   scripts/postgres.sh stop DIR    stop it (the folder is the caller's to remove)
# As root, the cluster runs as the unprivileged `postgres` user (PostgreSQL refuses root).
set -euo pipefail
command="${1:?start or stop}"
folder="${2:?a folder for the cluster}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "postgres.sh: PostgreSQL's server is not installed (apt package postgresql); scripts/bootstrap.sh installs it" >&2
  exit 1
fi
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  as_owner=(runuser -u postgres --)
fi
case "$command" in
  start)
    mkdir -p "$folder"
    [ ${#as_owner[@]} -eq 0 ] || chown postgres "$folder"
    "${as_owner[@]}" "$bin/initdb" -D "$folder/data" -U rapport --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$folder/initdb.log" 2>&1 \
      || { echo "postgres.sh: initdb failed:" >&2; cat "$folder/initdb.log" >&2; exit 1; }
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    # Durable as in production (fsync on), tuned only for a small machine's throw-away use.
    "${as_owner[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $folder -c max_connections=200 -c shared_buffers=128MB" start >/dev/null \
      || { echo "postgres.sh: the server did not start:" >&2; cat "$folder/server.log" >&2; exit 1; }
    echo "postgres://rapport@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -d "$folder/data" ] && "${as_owner[@]}" "$bin/pg_ctl" -D "$folder/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "postgres.sh: start or stop, not '$command'" >&2
    exit 2
    ;;
esac
