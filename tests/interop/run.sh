#!/usr/bin/env bash
# Official client libraries against `laml-conformance serve`, each under its matching profile.
# Installs them from the package registries into a cache folder that later runs reuse
# (LAML_INTEROP_CACHE, default target/interop-cache), starts serve, and runs each library's
# script; any assertion that fails, fails the run. Skipped, loudly, where python3 is missing.
#
#   tests/interop/run.sh              # after `cargo build --release`
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${LAML_BIN:-target/release/laml-conformance}
CACHE=${LAML_INTEROP_CACHE:-target/interop-cache}
[ -x "$BIN" ] || cargo build --release --quiet

if ! command -v python3 >/dev/null; then
  echo "!!! interop: python3 is missing: the client-library tests are SKIPPED !!!" >&2
  exit 0
fi
mkdir -p "$CACHE/python"
if [ ! -f "$CACHE/python/.twilio-9" ]; then
  python3 -m pip install --quiet --disable-pip-version-check --target "$CACHE/python" 'twilio>=9,<10'
  touch "$CACHE/python/.twilio-9"
fi

failed=0
run() { # profile script…
  local profile=$1; shift
  local log; log=$(mktemp)
  "$BIN" serve --port 0 --profile "$profile" >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 50); do grep -q "Ctrl-C stops it" "$log" && break; sleep 0.1; done
  local base; base=$(sed -n 's/^laml-conformance serve: the simulated space listens on //p' "$log")
  if ! "$@" "$base" "$log"; then failed=1; fi
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  rm -f "$log"
}
run twilio env PYTHONPATH="$CACHE/python" python3 tests/interop/twilio_python.py
exit $failed
