#!/usr/bin/env bash
# Memory and start cost of borealis-runner, as the agent will pay them.
#
#   bench/runner_memory.sh BUILD_DIR [COUNT]
#
# Builds borealis-runner in BUILD_DIR (a configured, non-sanitized build: ASan inflates
# memory), starts COUNT (default 100) runners at once, each in its own temporary sandbox
# with one idle `sleep 3600` process, and prints:
#   - start latency: each runner's first checkpoint record (written right after exec)
#     -> its process RUNNING record (median, max), and the start of the launch loop
#     -> the last RUNNING record of all (the agent's "100 at once"),
#   - USS of each idle runner (Private_Clean + Private_Dirty from
#     /proc/<pid>/smaps_rollup): median and max, in KB.
# Then it kills the runners (SIGTERM) and removes the sandboxes.
set -euo pipefail

build=${1:?usage: bench/runner_memory.sh BUILD_DIR [COUNT]}
count=${2:-100}
build=$(cd "$build" && pwd)
if grep -q '^BOREALIS_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  echo "warning: $build is a sanitizer build; its memory numbers are inflated" >&2
fi
cmake --build "$build" --target borealis-runner -j2 >/dev/null
runner=$build/bin/borealis-runner
[ -x "$runner" ] || { echo "no $runner" >&2; exit 1; }

root=$(mktemp -d /tmp/runner-bench.XXXXXX)
cleanup() {
  for d in "$root"/sb*; do
    [ -f "$d/.runner/checkpoint" ] || continue
    pid=$(head -1 "$d/.runner/checkpoint" | sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  done
  # Wait (at most 10 s) for every runner to write its terminal record.
  for _ in $(seq 100); do
    if ! grep -L '"state":"\(KILLED\|SUCCESS\|FAILED\|LOST\)"' "$root"/sb*/.runner/checkpoint \
        2>/dev/null | grep -q .; then
      break
    fi
    sleep 0.1
  done
  rm -rf "$root"
}
trap cleanup EXIT

for i in $(seq 0 $((count - 1))); do
  mkdir -p "$root/sb$i/.runner"
  cat >"$root/sb$i/.runner/task.json" <<JSON
{"task_id": "bench-$i", "instance": $i, "hostname": "bench", "user": "",
 "ports": {}, "task": {"name": "idle", "processes": [{"name": "idle", "cmdline": "sleep 3600",
 "max_failures": 1, "daemon": false, "ephemeral": false, "min_duration": 5, "final": false}],
 "constraints": [], "max_failures": 1, "max_concurrency": 0, "finalization_wait": 30}}
JSON
done

# Launch all at once, as the agent will.
t0=$(date +%s%3N)
for i in $(seq 0 $((count - 1))); do
  setsid "$runner" --sandbox "$root/sb$i" --min-uid 0 >"$root/sb$i/.runner/runner.log" 2>&1 </dev/null &
done
t1=$(date +%s%3N)

# Wait (at most 10 s) until every runner recorded its process RUNNING.
for _ in $(seq 200); do
  n=$(grep -l '"state":"RUNNING"' "$root"/sb*/.runner/checkpoint 2>/dev/null | wc -l)
  [ "$n" -ge "$count" ] && break
  sleep 0.05
done
if [ "$n" -lt "$count" ]; then
  echo "only $n of $count runners reached RUNNING" >&2
  exit 1
fi

ts_of() {  # ts of the first record in checkpoint $1 matching $2
  grep "$2" "$1" | head -1 | sed 's/{"ts":\([0-9]*\).*/\1/'
}
lat=() uss=() last_running=0
for d in "$root"/sb*; do
  started=$(ts_of "$d/.runner/checkpoint" '"type":"runner"')
  running=$(ts_of "$d/.runner/checkpoint" '"state":"RUNNING"')
  lat+=($((running - started)))
  [ "$running" -gt "$last_running" ] && last_running=$running
done

sleep 1  # idle: its process running, nothing happening
for d in "$root"/sb*; do
  pid=$(head -1 "$d/.runner/checkpoint" | sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
  kb=$(awk '/^Private_(Clean|Dirty):/ {s += $2} END {print s}' "/proc/$pid/smaps_rollup")
  uss+=("$kb")
done

stats() {  # prints "median max" of its arguments
  printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[NR] }'
}
read -r lat_med lat_max <<<"$(stats "${lat[@]}")"
read -r uss_med uss_max <<<"$(stats "${uss[@]}")"
echo "runners:                      $count ($runner), load average $(cut -d' ' -f1 /proc/loadavg)"
echo "runner start -> RUNNING (ms):   median $lat_med, max $lat_max (checkpoint ts)"
echo "launch loop (ms):               $((t1 - t0)) (the shell forking $count runners)"
echo "first launch -> last RUNNING:   $((last_running - t0)) ms"
echo "idle USS (KB):                  median $uss_med, max $uss_max"
