#!/usr/bin/env bash
# Installs what the Cucumber Messages tests (tests/messages.rs) read and run, from the npm
# registry, into a folder of the interop cache that later runs reuse (LAML_INTEROP_CACHE, default
# target/interop-cache; a stamp file says what is installed):
#   @cucumber/messages 34.2.1        its JSON schema (messages.schema.json), which the stream follows
#   @cucumber/html-formatter 24.2.0  renders the stream into a page (CucumberHtmlStream); built
#                                    with @cucumber/messages 34.2.1
#   ajv 8.20.0                       validates each envelope against that schema (draft 2020-12)
# Prints the folder of their node_modules on its last line. Without node and npm it says so and
# exits 3, and the tests skip, loudly.
#
#   tests/messages/setup.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE=${LAML_INTEROP_CACHE:-target/interop-cache}
DIR="$CACHE/messages"
STAMP=".messages-34.2.1-html-formatter-24.2.0-ajv-8.20.0"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "!!! messages: node or npm is missing: the Cucumber Messages schema and HTML formatter tests are SKIPPED !!!" >&2
  exit 3
fi
mkdir -p "$DIR"
if [ ! -f "$DIR/$STAMP" ]; then
  npm install --prefix "$DIR" --save-exact --no-audit --no-fund --loglevel=error \
    @cucumber/messages@34.2.1 @cucumber/html-formatter@24.2.0 ajv@8.20.0 >&2
  touch "$DIR/$STAMP"
fi
cd "$DIR/node_modules" && pwd
