#!/usr/bin/env bash
# Side-by-side benchmark: Liaison and Datasette on the same synthetic catalogue, in the same run.
#
# Usage: bench/run.sh [N ...]        (default: 1000 100000)
# Env:   SHARED=../shared/bench  BENCH_DIR=/tmp/liaison-bench  DURATION=10s  THREADS=2  CONNS=32
#        BENCH_REUSE=1 keeps a Liaison database imported by an earlier run (its import time is reported again)
#
# For each N: generates the catalogue with make_catalogue.py (once), imports catalogue.jsonl into a fresh
# Liaison SQLite database (timed), starts `liaison serve` once from the database (timed; it writes the snapshot file),
# stops it and starts it again from the snapshot file (start-up to the first answer of /healthz, timed; resident memory
# read from /proc) and `datasette` on catalogue.db, then runs wrk with rotate.lua on three
# scenarios against both: full-text search, the networks of a country, one network with its members (and the
# search again at 2 connections, where Datasette does best).
# Prints one table per N with both servers' req/s, p50 and p99, and the ratios. Loopback only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "${SHARED:-$root/../shared/bench}" && pwd)
work=${BENCH_DIR:-/tmp/liaison-bench}
export DURATION=${DURATION:-10s} THREADS=${THREADS:-2} CONNS=${CONNS:-32}
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000 100000)
lport=${LIAISON_BENCH_PORT:-18080}; dport=${DATASETTE_BENCH_PORT:-18081}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v datasette >/dev/null || { echo "datasette is missing: pip install datasette" >&2; exit 1; }
(cd "$root" && swift build -c release --product liaison >/dev/null)
bin=$root/.build/release/liaison

. "$root/bench/common.sh"

for n in "${sizes[@]}"; do
  data=$work/$n
  if [ ! -f "$data/catalogue.jsonl" ] || [ ! -f "$data/catalogue.db" ] || [ ! -f "$data/slugs.txt" ]; then
    echo "== generating N=$n"
    python3 "$shared/make_catalogue.py" "$n" --out "$data" >/dev/null
  fi
  if [ "${BENCH_REUSE:-0}" = 1 ] && [ -f "$data/liaison/liaison.sqlite" ] && [ -f "$data/import.seconds" ]; then
    import_s=$(cat "$data/import.seconds")
    echo "== N=$n: reusing the Liaison database imported earlier (import took ${import_s} s)"
  else
    rm -rf "$data/liaison"
    echo "== N=$n: import into Liaison"
    start=$(date +%s.%N)
    "$bin" import "$data/catalogue.jsonl" --data-dir "$data/liaison" 2>"$data/import.log"
    import_s=$(echo "$(date +%s.%N) - $start" | bc)
    echo "$import_s" >"$data/import.seconds"
    tail -n 1 "$data/import.log"
  fi

  # The first start after an import reads the database and writes the snapshot file in the background; it is timed,
  # then stopped once the file is written, and the start that is measured is the next one, from the file.
  rm -f "$data/liaison/liaison.sqlite.snapshot"
  "$bin" serve --no-seed --port "$lport" --data-dir "$data/liaison" >"$data/liaison-first.log" 2>&1 &
  lpid=$!; pids+=("$lpid")
  first_s=$(wait_ready "http://127.0.0.1:$lport/healthz")
  for _ in $(seq 1 1200); do grep -q "snapshot file written" "$data/liaison-first.log" && break; sleep 0.1; done
  kill "$lpid"; wait "$lpid" 2>/dev/null || true; pids=()
  snapshot_mb=$(du -m "$data/liaison/liaison.sqlite.snapshot" | cut -f1)
  "$bin" serve --no-seed --port "$lport" --data-dir "$data/liaison" >"$data/liaison.log" 2>&1 &
  lpid=$!; pids+=("$lpid")
  startup_s=$(wait_ready "http://127.0.0.1:$lport/healthz")
  grep -q "read from the snapshot file in" "$data/liaison.log" || { echo "the measured start did not read the snapshot file" >&2; exit 1; }
  # As Datasette's users would serve an API: immutable, no facet suggestions on every JSON answer (they made its search
  # look ten times slower than it is), and a time limit no query of the run reaches.
  datasette serve --immutable "$data/catalogue.db" --port "$dport" --setting suggest_facets off --setting sql_time_limit_ms 60000 \
    >"$data/datasette.log" 2>&1 &
  dpid=$!; pids+=("$dpid")
  wait_ready "http://127.0.0.1:$dport/-/versions.json" >/dev/null
  rss_idle=$(rss_mb "$lpid")

  templates=$data/templates.txt
  cat >"$templates" <<T
liaison-search   http://127.0.0.1:$lport/api/v1/networks?q={q}&per_page=20
datasette-search http://127.0.0.1:$dport/catalogue/networks.json?_search={q}&_size=20&_shape=objects
liaison-country   http://127.0.0.1:$lport/api/v1/networks?party={country}&per_page=50
datasette-country http://127.0.0.1:$dport/catalogue.json?sql=select+n.id,n.slug,n.name,m.role+from+memberships+m+join+networks+n+on+n.id=m.network_id+where+m.country_code=:c+order+by+n.name+limit+50&c={country}&_shape=objects
liaison-network   http://127.0.0.1:$lport/api/v1/networks/{slug}
datasette-network http://127.0.0.1:$dport/catalogue.json?sql=select+n.*,m.country_code,m.role+from+networks+n+left+join+memberships+m+on+m.network_id=n.id+where+n.id=:i&i={id}&_shape=objects
T
  echo "== N=$n: wrk, $DURATION per scenario, $THREADS threads, $CONNS connections"
  results=$data/results.txt
  ROT_ID_MAX=$n ROT_SLUGS=$data/slugs.txt WRK_LOG_DIR=$data/wrk "$shared/target.sh" "$templates" | tee "$results"
  # Datasette's full-text search slows down so much with many connections at large N that it may answer
  # nothing within wrk's timeout: both servers' search is also measured at 2 connections, Datasette's best.
  grep -- "-search " "$templates" | sed 's/-search /-search2 /' >"$data/templates2.txt"
  CONNS=2 ROT_ID_MAX=$n ROT_SLUGS=$data/slugs.txt WRK_LOG_DIR=$data/wrk "$shared/target.sh" "$data/templates2.txt" | grep -v '^scenario' | tee -a "$results"
  rss_load=$(rss_mb "$lpid")
  kill "$lpid" "$dpid"; wait "$lpid" "$dpid" 2>/dev/null || true; pids=()

  echo
  echo "### N = $n"
  echo "import: ${import_s} s · start-up with the data: ${startup_s} s from the snapshot file (${snapshot_mb} MB), ${first_s} s from the database (the first start after the import) · Liaison RSS: ${rss_idle} MB idle, ${rss_load} MB after load"
  echo
  echo "| scenario | Liaison req/s | p50 ms | p99 ms | non-2xx | Datasette req/s | p50 ms | p99 ms | non-2xx | req/s ratio |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for s in search search2 country network; do
    read -r _ lr lp50 lp99 < <(grep "^liaison-$s " "$results" || echo "x 0 0 0")
    read -r _ dr dp50 dp99 < <(grep "^datasette-$s " "$results" || echo "x 0 0 0")
    # Non-2xx answers and socket errors (timeouts among them), from wrk's own RESULT line.
    lerr=$(awk '/^RESULT/ { print $5 + $6 }' "$data/wrk/liaison-$s.txt" 2>/dev/null || echo "?")
    derr=$(awk '/^RESULT/ { print $5 + $6 }' "$data/wrk/datasette-$s.txt" 2>/dev/null || echo "?")
    ratio=$(awk -v a="$lr" -v b="$dr" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "n/a" }')
    label=$s; [ "$s" = search2 ] && label="search, 2 connections"
    echo "| $label | $lr | $lp50 | $lp99 | ${lerr:-0} | $dr | $dp50 | $dp99 | ${derr:-0} | $ratio |"
  done
  echo
done
