#!/usr/bin/env bash
# Runs e2e tests from a private copy of the checkout and build (a mode-700 `mktemp -d`, as a
# clone in root's home or a fresh temporary directory would be): tasks run as their role's
# user, who cannot read it, so this passes only if nothing a task runs comes from there.
#
#   tests/e2e/private_checkout.sh BIN_DIR [pytest -k EXPR]
set -euo pipefail
bin=$1
filter=${2:-canary}
src=$(cd "$(dirname "$0")/../.." && pwd)
private=$(mktemp -d)
trap 'rm -rf "$private"' EXIT
mkdir -p "$private/checkout/tests" "$private/build"
cp -r "$src/tests/e2e" "$private/checkout/tests/"
cp -r "$bin" "$private/build/bin"
chmod -R go-rwx "$private"
[ "$(stat -c %a "$private")" = 700 ] || { echo "expected a mode-700 directory" >&2; exit 1; }
cd "$private"
BOREALIS_BIN_DIR=$private/build/bin exec /usr/bin/python3 -m pytest -q -p no:cacheprovider \
  "$private/checkout/tests/e2e/test_updates.py" -k "$filter"
