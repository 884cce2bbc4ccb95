#!/usr/bin/env bash
# Time `job inspect` on a file of ten jobs, interpreter start included: loads
# bench/config_ten_jobs.aurora (all ten jobs are evaluated and validated, as the CLI does)
# and prints one job's JSON, with the borealis-config-dump driver.
#   bench/config_load.sh [BUILD_DIR]        (default: build-config)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-config}
dump=$build/src/config/borealis-config-dump
config=$root/bench/config_ten_jobs.aurora
"$dump" "$config" --key devcluster/www-data/prod/search > /dev/null
hyperfine --warmup 5 --runs 50 -N --export-json /tmp/config_load.json \
  "$dump $config --key devcluster/www-data/prod/search" \
  "$dump $config"
python3 - <<'PY'
import json
for r in json.load(open('/tmp/config_load.json'))['results']:
    print('%-70s median %.1f ms  mean %.1f ms  user %.1f ms  sys %.1f ms' % (
        r['command'][-70:], r['median'] * 1000, r['mean'] * 1000, r['user'] * 1000,
        r['system'] * 1000))
PY
