# Shared by bench/run.sh and bench/directory.sh (sourced): stopping the servers started, waiting for a server's
# first answer, a process's resident memory.
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_ready() {  # URL -> seconds until it answers 200
  local start=$(date +%s.%N)
  for _ in $(seq 1 6000); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ]; then
      echo "$(date +%s.%N) - $start" | bc; return 0
    fi
    sleep 0.05
  done
  echo "timeout"; return 1
}
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
