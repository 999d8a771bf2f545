#!/usr/bin/env bash
# Official client libraries against `laml-conformance serve`, each under its matching profile:
#   twilio (PyPI) 9                      --profile twilio       twilio_python.py
#   signalwire (PyPI) 2.1.1              --profile signalwire   signalwire_python.py
#   @signalwire/compatibility-api 3.2.0  --profile signalwire   signalwire_node.js
#   twilio (npm) 6.3.1                   --profile twilio       twilio_node.js
#   telnyx (PyPI) 4.189.0                --profile telnyx       telnyx_python.py
#   telnyx (npm) 7.24.0                  --profile telnyx       telnyx_node.js
# Installs them from the package registries into a cache folder that later runs reuse
# (LAML_INTEROP_CACHE, default target/interop-cache; a stamp file per library), starts one serve
# per library, and runs its script, which prints each step; any step that fails, fails the run.
# A runtime that is missing (python3, or node and npm) skips its libraries, loudly.
#
#   tests/interop/run.sh                                     # after `cargo build --release`
#   LAML_BIN=target/debug/laml-conformance tests/interop/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${LAML_BIN:-target/release/laml-conformance}
CACHE=${LAML_INTEROP_CACHE:-target/interop-cache}
[ -x "$BIN" ] || cargo build --release --quiet
HERE=tests/interop

failed=0
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null' EXIT # serve does not outlive an interrupted run
run() { # profile command… (the command gets serve's base URL and a file with its LAML_* lines)
  local profile=$1; shift
  local log; log=$(mktemp)
  "$BIN" serve --port 0 --profile "$profile" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do grep -q "Ctrl-C stops it" "$log" && break; sleep 0.1; done
  local base; base=$(sed -n 's/^laml-conformance serve: the simulated space listens on //p' "$log")
  if [ -z "$base" ]; then
    echo "!!! interop: serve --profile $profile did not start:" >&2; cat "$log" >&2; failed=1
  # TWILIO_EDGE / TWILIO_REGION would make the twilio libraries rewrite the host (127.0.0.1 too);
  # a proxy from the environment must not stand between a library and loopback.
  elif ! env -u TWILIO_EDGE -u TWILIO_REGION no_proxy=127.0.0.1 NO_PROXY=127.0.0.1 PYTHONDONTWRITEBYTECODE=1 "$@" "$base" "$log"; then
    echo "!!! interop: FAILED: $* (serve --profile $profile)" >&2; failed=1
  fi
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  pid=
  rm -f "$log"
}

if ! command -v python3 >/dev/null; then
  echo "!!! interop: python3 is missing: the Python client-library tests (twilio, signalwire, telnyx) are SKIPPED !!!" >&2
else
  pip_install() { # folder stamp requirement
    mkdir -p "$CACHE/$1"
    if [ ! -f "$CACHE/$1/$2" ]; then
      python3 -m pip install --quiet --disable-pip-version-check --target "$CACHE/$1" "$3"
      touch "$CACHE/$1/$2"
    fi
  }
  # Each in its own folder: signalwire 2.1.1 pins twilio 6.54, which twilio 9 must not meet; telnyx
  # brings its own httpx and pydantic.
  pip_install python .twilio-9 'twilio>=9,<10'
  pip_install python-signalwire .signalwire-2.1.1 'signalwire==2.1.1'
  pip_install python-telnyx .telnyx-4.189.0 'telnyx==4.189.0'
  run twilio env PYTHONPATH="$CACHE/python" python3 "$HERE/twilio_python.py"
  run signalwire env PYTHONPATH="$CACHE/python-signalwire" python3 "$HERE/signalwire_python.py"
  run telnyx env PYTHONPATH="$CACHE/python-telnyx" python3 "$HERE/telnyx_python.py"
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "!!! interop: node or npm is missing: the Node client-library tests (twilio, @signalwire/compatibility-api, telnyx) are SKIPPED !!!" >&2
else
  npm_install() { # stamp package@version
    mkdir -p "$CACHE/node"
    if [ ! -f "$CACHE/node/$1" ]; then
      npm install --prefix "$CACHE/node" --save-exact --no-audit --no-fund --loglevel=error "$2" >/dev/null
      touch "$CACHE/node/$1"
    fi
  }
  npm_install .signalwire-compatibility-api-3.2.0 @signalwire/compatibility-api@3.2.0
  npm_install .twilio-6.3.1 twilio@6.3.1
  npm_install .telnyx-7.24.0 telnyx@7.24.0
  run signalwire env NODE_PATH="$CACHE/node/node_modules" node "$HERE/signalwire_node.js"
  run twilio env NODE_PATH="$CACHE/node/node_modules" node "$HERE/twilio_node.js"
  run telnyx env NODE_PATH="$CACHE/node/node_modules" node "$HERE/telnyx_node.js"
fi
exit $failed
