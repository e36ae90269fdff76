#!/usr/bin/env bash
# Makes sure Redis and PostgreSQL answer on loopback for the tests. A running server
# is used as it is; an installed but stopped one is started with the same commands
# the machine image uses; a missing one is a clear error naming the package
# (scripts/deps.sh, run before this by `make test`, installs them). As root, a
# PostgreSQL that refuses the tests' password-less login is given trust auth on
# loopback (the tests' database is throwaway).
# SESAME_REDIS_ADDR and SESAME_POSTGRES_URL point the tests elsewhere.
set -u
redis_addr=${SESAME_REDIS_ADDR:-127.0.0.1:6379}
pg_url=${SESAME_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
fail=0

redis_up() { redis-cli -h "${redis_addr%:*}" -p "${redis_addr##*:}" ping 2>/dev/null | grep -q PONG; }
if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  echo "services: redis-server is not installed (scripts/deps.sh installs it: apt-get install redis-server redis-tools)"; fail=1
elif ! redis_up; then
  echo "services: starting redis-server on $redis_addr"
  mkdir -p /tmp/sesame-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "${redis_addr##*:}" --save "" --appendonly no \
    --dir /tmp/sesame-redis --logfile /tmp/sesame-redis/redis.log >/dev/null
  for _ in $(seq 50); do redis_up && break; sleep 0.1; done
  redis_up || { echo "services: redis-server did not answer on $redis_addr (see /tmp/sesame-redis/redis.log)"; fail=1; }
fi

pg_up() { psql "$pg_url" -tAc 'select 1' >/dev/null 2>&1; }
if ! command -v psql >/dev/null; then
  echo "services: PostgreSQL is not installed (scripts/deps.sh installs it: apt-get install postgresql)"; fail=1
elif ! pg_up; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    ver=$(ls /etc/postgresql | sort -V | tail -1)
    hba=/etc/postgresql/$ver/main/pg_hba.conf
    if [ "$(id -u)" = 0 ] && [ -w "$hba" ] && ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
      echo "services: trust auth for loopback in $hba"
      sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
      pg_ctlcluster --skip-systemctl-redirect "$ver" main reload 2>/dev/null || true
    fi
    if ! pg_up; then
      echo "services: starting PostgreSQL $ver"
      pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>&1 || true
    fi
    for _ in $(seq 100); do pg_up && break; sleep 0.1; done
  fi
  pg_up || { echo "services: PostgreSQL does not answer at $pg_url: trust auth on 127.0.0.1 is expected (run make test as root once to configure it, or set SESAME_POSTGRES_URL)"; fail=1; }
fi
exit $fail
