#!/usr/bin/env bash
# Nothing lost when things break. For SQLite and for PostgreSQL:
#  1. A focal point makes a stream of edits (bench/chaos_client.py) while mail is queued (`liaison invite`) and
#     delivered through a sendmail that counts what it is handed; the server is killed with SIGKILL every few seconds
#     and started again. Then: every edit whose answer came back is in the revision log; the network is as the last
#     logged edit left it; the database passes its integrity check; every queued message was handed over exactly once.
#  2. PostgreSQL only: the database is stopped under load — the catalogue is still read (200), writes are answered 503
#     with Retry-After — then started again: writes work again without restarting Liaison.
#
# Usage: bench/chaos.sh [sqlite] [postgres]     (default: both)
# Env:   BENCH_DIR=/tmp/liaison-bench  EDITS=20 (at least; the stream goes on until the kills are done)  KILLS=4  PGPORT=55450
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-/tmp/liaison-bench}/chaos
backends=("$@"); [ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)
edits=${EDITS:-20}; kills=${KILLS:-4}
export PGPORT=${PGPORT:-55450}
port=18110
(cd "$root" && swift build -c release --product liaison >/dev/null)
bin=$root/.build/release/liaison
. "$root/bench/common.sh"
password="bench focal point passphrase"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
stop_pg() { [ -n "$pgbin" ] && runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" stop -m fast >/dev/null 2>&1 || true; }
trap 'cleanup; stop_pg' EXIT

# A sendmail that keeps one line per message it is handed: its Message-ID.
mkdir -p "$work"
cat >"$work/sendmail" <<'SH'
#!/bin/sh
id=$(sed -n 's/^Message-ID: *//Ip' | head -n 1)
echo "$id" >>"$(dirname "$0")/delivered.txt"
SH
chmod +x "$work/sendmail"

for backend in "${backends[@]}"; do
  rm -rf "$work/$backend"; mkdir -p "$work/$backend"
  : >"$work/delivered.txt"
  if [ "$backend" = postgres ]; then
    server=$(PGDATA_DIR=$work/pg "$root/.ci/start-postgres")
    psql "$server" -qc "DROP DATABASE IF EXISTS liaison_chaos" -c "CREATE DATABASE liaison_chaos" >/dev/null
    db=(--database-url "postgres://postgres@127.0.0.1:$PGPORT/liaison_chaos?sslmode=disable")
    query() { psql -tA "postgres://postgres@127.0.0.1:$PGPORT/liaison_chaos?sslmode=disable" -c "$1"; }
  else
    db=(--data-dir "$work/$backend/data")
    query() { python3 -c 'import sqlite3, sys; [print("|".join(map(str, r))) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])]' "$work/$backend/data/liaison.sqlite" "$1"; }
  fi
  "$bin" migrate "${db[@]}" >/dev/null 2>&1
  "$bin" user create "${db[@]}" --email chaos@example.org --name Chaos --role focal_point --network carin --password-stdin <<<"$password" >/dev/null 2>&1
  start() {
    "$bin" serve "${db[@]}" --no-link-checks --port "$port" --mail-transport sendmail --sendmail "$work/sendmail" \
      >>"$work/$backend/serve.log" 2>&1 &
    pid=$!; pids=("$pid")
    wait_ready "http://127.0.0.1:$port/healthz" >/dev/null
  }
  start
  echo "== $backend: $edits edits, the server killed with SIGKILL $kills times"
  # The stream goes on until the kills are done (and at least $edits edits were acknowledged).
  rm -f "$work/$backend/stop"
  (cd "$root/bench" && python3 chaos_client.py "http://127.0.0.1:$port" carin chaos@example.org "$password" "$edits" "$work/$backend/ack.txt" \
    "$work/$backend/stop") >"$work/$backend/client.txt" &
  client=$!
  for k in $(seq 1 "$kills"); do
    for i in $(seq 1 5); do
      "$bin" invite "${db[@]}" --email "chaos-$k-$i@example.org" --role focal_point --network ejn >>"$work/$backend/invite.log" 2>&1 \
        || echo "invite chaos-$k-$i failed: see $work/$backend/invite.log"
    done
    sleep 2
    kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
    sleep 0.5
    start
  done
  touch "$work/$backend/stop"
  wait "$client"
  cat "$work/$backend/client.txt"
  sleep 3  # the outbox's last pass
  kill "$pid"; wait "$pid" 2>/dev/null || true; pids=()
  logged=$(query "SELECT reason FROM revisions WHERE reason LIKE 'chaos edit %'" | sed 's/chaos edit //' | sort -n)
  missing=$(comm -23 <(sort -n "$work/$backend/ack.txt" | uniq) <(echo "$logged") | wc -l)
  last=$(echo "$logged" | tail -n 1)
  notes=$(query "SELECT notes FROM networks WHERE slug = 'carin'")
  queued=$(query "SELECT COUNT(*) FROM outbox")
  unsent=$(query "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
  handed=$(wc -l <"$work/delivered.txt"); distinct=$(sort -u "$work/delivered.txt" | wc -l)
  integrity=ok
  [ "$backend" = sqlite ] && integrity=$(query "PRAGMA integrity_check")
  echo "### $backend: acknowledged $(wc -l <"$work/$backend/ack.txt"), missing from the log $missing; notes '$notes' (last logged: chaos $last); integrity $integrity"
  echo "### $backend: outbox $queued messages, $unsent not sent; sendmail handed $handed, $distinct distinct ($((handed - distinct)) twice)"

  if [ "$backend" = postgres ]; then
    echo "== postgres: the database stopped under load"
    start
    (cd "$root/bench" && timeout 60 python3 chaos_client.py "http://127.0.0.1:$port" carin chaos@example.org "$password" 30 "$work/$backend/ack2.txt" \
      "$work/$backend/stop2") \
      >"$work/$backend/client2.txt" &
    client=$!
    sleep 1
    stop_pg
    down_read=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/networks/carin")
    down_api=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/networks?q=cybercrime")
    token=$(curl -s -c "$work/jar" "http://127.0.0.1:$port/sign-in" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n 1)
    down_write=$(curl -s -b "$work/jar" -D - -o /dev/null -X POST --data-urlencode "csrf_token=$token" -d 'email=x@example.org&password=not+the+password' \
      "http://127.0.0.1:$port/sign-in" | tr -d '\r' | grep -iE '^HTTP|^retry-after' | tr '\n' ' ')
    sleep 5
    PGDATA_DIR=$work/pg "$root/.ci/start-postgres" >/dev/null
    wait "$client" || true
    cat "$work/$backend/client2.txt"
    echo "### postgres stopped: a page $down_read, the API's search $down_api, a form: $down_write; after it came back: $(wc -l <"$work/$backend/ack2.txt") of 30 edits acknowledged without restarting Liaison"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pids=()
  fi
done
