#!/usr/bin/env bash
# Starts the services the test suite needs (Redis, PostgreSQL) when they are installed but not
# running. With --install (CI), installs a missing one with apt-get first. Never fails the
# caller: a service that cannot be had is reported in one line, and the tests that need it fail
# with one clear line of their own (test/setup/services.global-setup.ts).
set -uo pipefail

INSTALL=false
[ "${1:-}" = "--install" ] && INSTALL=true

apt_install() {
  echo "services: installing $* with apt-get"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

wait_for() { # name, command
  for _ in $(seq 1 60); do
    if eval "$2" >/dev/null 2>&1; then echo "services: $1 is up"; return 0; fi
    sleep 0.5
  done
  echo "services: $1 did not come up" >&2
  return 1
}

redis_up() { command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
pg_up() { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; }

if ! redis_up; then
  if ! command -v redis-server >/dev/null && $INSTALL; then apt_install redis-server; fi
  if command -v redis-server >/dev/null; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    wait_for redis redis_up
  else
    echo "services: Redis is not installed (apt-get install redis-server); its tests will fail" >&2
  fi
fi

if ! pg_up; then
  if ! command -v pg_ctlcluster >/dev/null && $INSTALL; then apt_install postgresql; fi
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    wait_for postgresql pg_up
  else
    echo "services: PostgreSQL is not installed (apt-get install postgresql); its tests will fail" >&2
  fi
fi

# The tests use database `test` with trust auth for `postgres` on 127.0.0.1.
if pg_up && ! psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname = 'test'" \
  2>/dev/null | grep -q 1; then
  su postgres -c "createdb test" 2>/dev/null || createdb -h 127.0.0.1 -U postgres test 2>/dev/null || true
fi

# Chromium for the dashboard's browser test (Debian's package; nothing downloads a browser).
if ! command -v chromium >/dev/null; then
  if $INSTALL; then apt_install chromium; else
    echo "services: Chromium is not installed (apt-get install chromium); the dashboard test will fail" >&2
  fi
fi
exit 0
