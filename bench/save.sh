#!/usr/bin/env bash
# What one edit costs at a catalogue's size: a focal point saves a network's edit form (bench/save.py) against
# `liaison serve` on the synthetic catalogue, beside what loading the whole snapshot takes (the start-up load,
# from the server's log) — before an edit was swapped in from memory, each save paid that load.
#
# Usage: bench/save.sh [N ...]     (default: 1000 100000)
# Env:   SHARED=../shared/bench  BENCH_DIR=/tmp/liaison-bench  SAVES=5
#        Reuses the Liaison database bench/run.sh imported (BENCH_DIR/N/liaison), or imports one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "${SHARED:-$root/../shared/bench}" && pwd)
work=${BENCH_DIR:-/tmp/liaison-bench}
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000 100000)
port=${LIAISON_BENCH_PORT:-18090}
(cd "$root" && swift build -c release --product liaison >/dev/null)
bin=$root/.build/release/liaison
password="bench focal point passphrase"

pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null || true' EXIT

for n in "${sizes[@]}"; do
  data=$work/$n
  [ -f "$data/catalogue.jsonl" ] || python3 "$shared/make_catalogue.py" "$n" --out "$data" >/dev/null
  if [ ! -f "$data/liaison/liaison.sqlite" ]; then
    rm -rf "$data/liaison"
    echo "== N=$n: import into Liaison"
    "$bin" import "$data/catalogue.jsonl" --data-dir "$data/liaison" 2>"$data/import.log"
  fi
  slug=$(head -n 1 "$data/slugs.txt")
  "$bin" user create --data-dir "$data/liaison" --email "bench-$n@example.org" --name "Bench" --role focal_point \
    --network "$slug" --password-stdin <<<"$password" 2>/dev/null || true
  "$bin" serve --no-seed --no-link-checks --port "$port" --data-dir "$data/liaison" >"$data/save-serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 6000); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" || true)" = 200 ] && break
    sleep 0.05
  done
  load=$(grep -o 'loaded in [0-9.]* s' "$data/save-serve.log" | head -n 1)
  notes=$(python3 "$root/bench/save.py" "http://127.0.0.1:$port" "$slug" "bench-$n@example.org" "$password" "${SAVES:-5}" notes)
  name=$(python3 "$root/bench/save.py" "http://127.0.0.1:$port" "$slug" "bench-$n@example.org" "$password" "${SAVES:-5}" name)
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo "N=$n: whole snapshot $load · $notes · $name"
done
