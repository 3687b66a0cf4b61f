#!/usr/bin/env bash
# The restricted directory at scale: Liaison beside Datasette on the same synthetic directory, in the same run.
#
# Usage: bench/directory.sh [N ...]        (default: 2000 20000; an import takes at most 20,000 rows)
# Env:   BENCH_DIR=/tmp/liaison-bench  DURATION=10s  THREADS=2  CONNS=32
#
# For each N: starts Liaison on a fresh database with the 2017 catalogue, writes N invented entries for its
# countries and networks with bench/make_directory.py, imports them with `liaison directory import` (timed),
# signs in as a practitioner with a second factor (bench/session.py), restarts `liaison serve` with hourly
# allowances high enough for wrk, serves the same rows' SQLite file (FTS5 over name, function, authority) with
# Datasette, and runs wrk with ../shared/bench/rotate.lua:
#   search    /directory?q={word}                      · Datasette entries.json?_search={word}&_size=50
#   country   /directory?country={country}             · Datasette entries.json?country={country}&_sort=name&_size=50
#   entry     /directory/{id} (a recorded view)        · Datasette entries/{id}.json
#   finder    /finder?from={country}&to=ES signed in (the networks and whom to call) and as a visitor (the
#             networks only): the difference is what "whom to call" costs.
# Liaison's answers are whole HTML pages, each with the lookup or view recorded in the database; Datasette's are
# JSON rows. Loopback only; only ratios from the same run mean anything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "${SHARED:-$root/../shared/bench}" && pwd)
work=${BENCH_DIR:-/tmp/liaison-bench}/directory
export DURATION=${DURATION:-10s} THREADS=${THREADS:-2} CONNS=${CONNS:-32}
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(2000 20000)
lport=${LIAISON_BENCH_PORT:-18080}; dport=${DATASETTE_BENCH_PORT:-18081}
password="a long passphrase for the benchmark"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v datasette >/dev/null || { echo "datasette is missing: pip install datasette" >&2; exit 1; }
(cd "$root" && swift build -c release --product liaison >/dev/null)
bin=$root/.build/release/liaison

. "$root/bench/common.sh"

# run NAME BASE PATH [HEADER]: one wrk scenario; prints "NAME req/s p50 p99 non2xx"
run() {
  local name=$1 base=$2 path=$3 header=${4:-}
  local log=$data/wrk/$name.txt
  mkdir -p "$data/wrk"
  if [ -n "$header" ]; then
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout 10s --latency -H "$header" -s "$shared/rotate.lua" "$base" -- "$path" >"$log" 2>&1
  else
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout 10s --latency -s "$shared/rotate.lua" "$base" -- "$path" >"$log" 2>&1
  fi
  read -r _ rps p50 p99 non2xx sockerr < <(grep '^RESULT ' "$log") || { echo "$name 0 0 0 failed"; return; }
  echo "$name $rps $p50 $p99 $((non2xx + sockerr))"
}

for n in "${sizes[@]}"; do
  data=$work/$n
  rm -rf "$data"; mkdir -p "$data"
  echo "== N=$n: the 2017 catalogue, its countries and networks"
  "$bin" serve --port "$lport" --data-dir "$data/liaison" --no-link-checks >"$data/liaison-seed.log" 2>&1 &
  lpid=$!; pids+=("$lpid")
  wait_ready "http://127.0.0.1:$lport/healthz" >/dev/null
  curl -s "http://127.0.0.1:$lport/api/v1/parties?kind=state&per_page=500" | python3 -c \
    'import json,sys; print("\n".join(p["id"] for p in json.load(sys.stdin)["items"]))' >"$data/catalogue-countries.txt"
  curl -s "http://127.0.0.1:$lport/api/v1/networks?per_page=500" | python3 -c \
    'import json,sys; print("\n".join(n["slug"] for n in json.load(sys.stdin)["items"]))' >"$data/catalogue-networks.txt"
  kill "$lpid"; wait "$lpid" 2>/dev/null || true; pids=()
  python3 "$root/bench/make_directory.py" "$n" --countries "$data/catalogue-countries.txt" --networks "$data/catalogue-networks.txt" --out "$data"
  echo "   $(wc -l <"$data/catalogue-countries.txt") countries, $(wc -l <"$data/catalogue-networks.txt") networks, $n entries"

  echo "== N=$n: import into Liaison"
  start=$(date +%s.%N)
  "$bin" directory import "$data/directory.csv" --data-dir "$data/liaison" >"$data/import.log" 2>&1
  import_s=$(echo "$(date +%s.%N) - $start" | bc)
  tail -n 1 "$data/import.log"
  printf '%s\n' "$password" | "$bin" user create --email reader@example.org --name "Bench Reader" --role practitioner \
    --password-stdin --data-dir "$data/liaison" >/dev/null

  "$bin" serve --port "$lport" --data-dir "$data/liaison" --no-link-checks \
    --directory-views-per-hour 1000000 --directory-lists-per-hour 1000000 >"$data/liaison.log" 2>&1 &
  lpid=$!; pids+=("$lpid")
  startup_s=$(wait_ready "http://127.0.0.1:$lport/healthz")
  cookie="Cookie: $(python3 "$root/bench/session.py" "http://127.0.0.1:$lport" reader@example.org "$password")"
  datasette serve --immutable "$data/directory.db" --port "$dport" --setting suggest_facets off \
    --setting sql_time_limit_ms 10000 >"$data/datasette.log" 2>&1 &
  dpid=$!; pids+=("$dpid")
  wait_ready "http://127.0.0.1:$dport/-/versions.json" >/dev/null
  rss_idle=$(rss_mb "$lpid")

  L=http://127.0.0.1:$lport; D=http://127.0.0.1:$dport
  grep -vx ES "$data/countries.txt" >"$data/countries-but-es.txt"
  export ROT_TERMS=$data/names.txt ROT_COUNTRIES=$data/countries.txt ROT_ID_MAX=$n
  echo "== N=$n: wrk, $DURATION per scenario, $THREADS threads, $CONNS connections"
  results=$data/results.txt
  {
    run liaison-search "$L" "/directory?q={q}" "$cookie"
    run datasette-search "$D" "/directory/entries.json?_search={q}&_size=50&_shape=objects"
    run liaison-country "$L" "/directory?country={country}" "$cookie"
    run datasette-country "$D" "/directory/entries.json?country={country}&_sort=name&_size=50&_shape=objects"
    run liaison-entry "$L" "/directory/{id}" "$cookie"
    run datasette-entry "$D" "/directory/entries/{id}.json?_shape=objects"
    ROT_COUNTRIES=$data/countries-but-es.txt run liaison-finder-whom "$L" "/finder?from={country}&to=ES" "$cookie"
    ROT_COUNTRIES=$data/countries-but-es.txt run liaison-finder-visitor "$L" "/finder?from={country}&to=ES"
  } | tee "$results"
  rss_load=$(rss_mb "$lpid")
  kill "$lpid" "$dpid"; wait "$lpid" "$dpid" 2>/dev/null || true; pids=()

  echo
  echo "### N = $n"
  echo "import: ${import_s} s · start-up: ${startup_s} s · Liaison RSS: ${rss_idle} MB idle, ${rss_load} MB after load"
  echo
  echo "| scenario | Liaison req/s | p50 ms | p99 ms | non-2xx | Datasette req/s | p50 ms | p99 ms | non-2xx | req/s ratio |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for s in search country entry; do
    read -r _ lr lp50 lp99 le < <(grep "^liaison-$s " "$results" || echo "x 0 0 0 -")
    read -r _ dr dp50 dp99 de < <(grep "^datasette-$s " "$results" || echo "x 0 0 0 -")
    ratio=$(awk -v a="$lr" -v b="$dr" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "n/a" }')
    echo "| $s | $lr | $lp50 | $lp99 | $le | $dr | $dp50 | $dp99 | $de | $ratio |"
  done
  for s in finder-whom finder-visitor; do
    read -r _ lr lp50 lp99 le < <(grep "^liaison-$s " "$results" || echo "x 0 0 0 -")
    echo "| $s | $lr | $lp50 | $lp99 | $le | — | — | — | — | — |"
  done
  echo
done
