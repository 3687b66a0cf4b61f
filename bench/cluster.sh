#!/usr/bin/env bash
# Two instances on one PostgreSQL behind nginx, on loopback: wrk reads through nginx while a focal point edits through
# it, and each edit is timed until both instances show it (LISTEN/NOTIFY: well under a second; the ten-second look is
# only the fallback). Reports wrk's req/s, p50, p99 and non-2xx answers, the 5xx in nginx's log, and per instance the
# median and longest time an edit took to appear.
#
# Usage: bench/cluster.sh [N]      (default 1000 synthetic networks; the 2017 catalogue with N=2017)
# Env:   SHARED=../shared/bench  BENCH_DIR=/tmp/liaison-bench  DURATION=20s  CONNS=32  EDITS=20  PGPORT=55440
# Needs: Debian's postgresql and nginx packages, wrk, python3. Everything listens on 127.0.0.1 only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "${SHARED:-$root/../shared/bench}" && pwd)
work=${BENCH_DIR:-/tmp/liaison-bench}/cluster
n=${1:-1000}
export DURATION=${DURATION:-20s} CONNS=${CONNS:-32}
edits=${EDITS:-20}
export PGPORT=${PGPORT:-55440}
proxy_port=18100; one=18101; two=18102
command -v nginx >/dev/null || { echo "nginx is missing: apt-get install nginx" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
(cd "$root" && swift build -c release --product liaison >/dev/null)
bin=$root/.build/release/liaison
. "$root/bench/common.sh"
mkdir -p "$work"

echo "== PostgreSQL on 127.0.0.1:$PGPORT"
server=$(PGDATA_DIR=$work/pg "$root/.ci/start-postgres")
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
stop_pg() { runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" stop -m fast >/dev/null 2>&1 || true; }
trap 'cleanup; [ -n "${nginx_pid:-}" ] && kill "$nginx_pid" 2>/dev/null; stop_pg' EXIT
psql "$server" -qc "DROP DATABASE IF EXISTS liaison_cluster" -c "CREATE DATABASE liaison_cluster" >/dev/null
url="postgres://postgres@127.0.0.1:$PGPORT/liaison_cluster?sslmode=disable"

if [ "$n" = 2017 ]; then
  "$bin" migrate --database-url "$url" >/dev/null 2>&1
  slug=carin
  seed=()
else
  data=${BENCH_DIR:-/tmp/liaison-bench}/$n
  [ -f "$data/catalogue.jsonl" ] || python3 "$shared/make_catalogue.py" "$n" --out "$data" >/dev/null
  echo "== importing N=$n into PostgreSQL"
  "$bin" import "$data/catalogue.jsonl" --database-url "$url" 2>&1 | tail -n 1
  slug=$(head -n 1 "$data/slugs.txt")
  seed=(--no-seed)
fi
password="bench focal point passphrase"
"$bin" user create --database-url "$url" --email "cluster@example.org" --name "Bench" --role focal_point --network "$slug" \
  --password-stdin <<<"$password" >/dev/null 2>&1 || true

for port in $one $two; do
  "$bin" serve "${seed[@]}" --no-link-checks --behind-proxy --database-url "$url" --port "$port" \
    --public-url "http://127.0.0.1:$proxy_port" >"$work/serve-$port.log" 2>&1 &
  pids+=($!)
done
for port in $one $two; do echo "instance :$port ready in $(wait_ready "http://127.0.0.1:$port/healthz") s"; done

cat >"$work/nginx.conf" <<NGINX
daemon off;
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log $work/nginx-access.log;
  upstream liaison { server 127.0.0.1:$one; server 127.0.0.1:$two; keepalive 64; }
  server {
    listen 127.0.0.1:$proxy_port;
    location / {
      proxy_pass http://liaison;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
}
NGINX
: >"$work/nginx-access.log"
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
wait_ready "http://127.0.0.1:$proxy_port/healthz" >/dev/null

echo "== wrk through nginx ($DURATION, $CONNS connections) while $edits edits are made through it"
echo "reader http://127.0.0.1:$proxy_port/networks/{slug}" >"$work/templates.txt"
if [ "$n" = 2017 ]; then
  printf '%s\n' carin ejn eurojust iberred seepag >"$work/slugs.txt"; max=5
else
  cp "$data/slugs.txt" "$work/slugs.txt"; max=$n
fi
ROT_ID_MAX=$max ROT_SLUGS=$work/slugs.txt WRK_LOG_DIR=$work/wrk "$shared/target.sh" "$work/templates.txt" >"$work/wrk.txt" &
wrk_pid=$!
sleep 2
(cd "$root/bench" && python3 cluster_edit.py "http://127.0.0.1:$proxy_port" "$slug" cluster@example.org "$password" "$edits" \
  "http://127.0.0.1:$one" "http://127.0.0.1:$two") | tee "$work/edits.txt"
wait "$wrk_pid"
read -r _ rps p50 p99 non2xx sockerr < <(grep '^RESULT ' "$work/wrk/reader.txt")
fivexx=$(awk '$9 ~ /^5/ { n++ } END { print n + 0 }' "$work/nginx-access.log")
echo
echo "### Two instances behind nginx, N = $n"
echo "reads through nginx: $rps req/s, p50 $p50 ms, p99 $p99 ms, $non2xx non-2xx, $sockerr socket errors; 5xx in nginx's log: $fivexx"
sed 's/^/edits: /' "$work/edits.txt"
