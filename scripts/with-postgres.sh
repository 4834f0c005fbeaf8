#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster: Debian's PostgreSQL (from
# scripts/setup.sh) initialised in a temporary folder, listening on a free loopback port, with
# EXAMPLE_POSTGRES=127.0.0.1:<port> in the command's environment (the example site's settings
# then use it, as the superuser "postgres"). The cluster is stopped and removed afterwards,
# however the command ends. PostgreSQL will not run as root: as root the cluster belongs to, and
# runs as, the "postgres" user (runuser).
#   scripts/with-postgres.sh .venv-wagtail/bin/python -m pytest integrations/wagtail -q
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "with-postgres: PostgreSQL is not installed (scripts/setup.sh installs it)" >&2
  exit 1
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/getty-picker-pg.XXXXXX")
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
stop() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >/dev/null
# A cluster for tests only: durability off, loopback only, its socket in its own folder.
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
  -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
EXAMPLE_POSTGRES="127.0.0.1:$port" "$@"
