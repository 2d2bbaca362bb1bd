#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL: initdb in a temporary directory, listen on a
# unix socket only, export DATABASE_URL, and remove everything afterwards.
set -euo pipefail
pg_bin=""
for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
  [ -x "$candidate/initdb" ] && { pg_bin=$candidate; break; }
done
[ -n "$pg_bin" ] || pg_bin=$(dirname "$(command -v initdb)")

dir=$(mktemp -d /tmp/otop-pg.XXXXXX)
chmod 755 "$dir"
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root: use an unprivileged system user.
  id otoppg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin otoppg
  chown otoppg "$dir"
  run_as=(runuser -u otoppg --)
fi
cleanup() {
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

# UTF-8 LC_CTYPE: pg_trgm extracts no trigrams from Thai in a C-locale database.
"${run_as[@]}" "$pg_bin/initdb" -D "$dir/data" -U otop --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -w -l "$dir/log" \
  -o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
"$pg_bin/createdb" -h "$dir" -U otop otop
export DATABASE_URL="postgres://otop@/otop?host=$dir"
"$@"
