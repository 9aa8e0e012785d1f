#!/bin/sh
# Makes sure the PostgreSQL and Redis the tests use are running on 127.0.0.1, installing
# and starting them from Debian's packages when they are not (needs root for that).
set -eu

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "ensure-services: need root to run: $*" >&2
    exit 1
  fi
}

apt_install() {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

postgres_ready() {
  command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432
}

postgres_accepts_tests() {
  psql "postgres://postgres@127.0.0.1:5432/postgres" -Atqc 'select 1' >/dev/null 2>&1
}

if ! postgres_ready; then
  command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do postgres_ready && break; sleep 1; done
fi
postgres_ready || { echo "ensure-services: PostgreSQL did not start" >&2; exit 1; }

if ! postgres_accepts_tests; then
  # A fresh Debian cluster asks for passwords on TCP; tests connect as postgres without one.
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  as_root sh -c "printf 'host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n' | cat - '$hba' > '$hba.new' && mv '$hba.new' '$hba'"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  sleep 1
fi
postgres_accepts_tests || { echo "ensure-services: cannot connect to PostgreSQL as postgres@127.0.0.1" >&2; exit 1; }

redis_ready() {
  command -v redis-cli >/dev/null 2>&1 && [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]
}

if ! redis_ready; then
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  mkdir -p /tmp/deskgraph-redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /tmp/deskgraph-redis --logfile /tmp/deskgraph-redis/redis.log
  for _ in $(seq 1 30); do redis_ready && break; sleep 1; done
fi
redis_ready || { echo "ensure-services: Redis did not start" >&2; exit 1; }
echo "ensure-services: PostgreSQL and Redis are up"
