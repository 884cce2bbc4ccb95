#!/usr/bin/env bash
# Time `borealis job inspect` on a file of ten jobs, interpreter start included: the CLI
# loads bench/config_ten_jobs.aurora (all ten jobs are evaluated and validated) and prints
# one job's JSON. The bare loader (borealis-config-dump) is timed beside it for comparison.
#   bench/config_load.sh [BUILD_DIR]        (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
cmake --build "$build" --target borealis borealis-config-dump >/dev/null
cli=$build/bin/borealis
dump=$build/src/config/borealis-config-dump
config=$root/bench/config_ten_jobs.aurora
key=devcluster/www-data/prod/search
"$cli" job inspect "$key" "$config" --output json > /dev/null
hyperfine --warmup 5 --runs 50 -N --export-json /tmp/config_load.json \
  "$cli job inspect $key $config --output json" \
  "$cli job inspect $key $config" \
  "$dump $config --key $key"
/usr/bin/python3 - <<'PY'
import json
for r in json.load(open('/tmp/config_load.json'))['results']:
    print('%-75s median %.1f ms  mean %.1f ms  user %.1f ms  sys %.1f ms' % (
        r['command'][-75:], r['median'] * 1000, r['mean'] * 1000, r['user'] * 1000,
        r['system'] * 1000))
PY
