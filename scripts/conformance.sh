#!/usr/bin/env bash
# The main job: install what is missing, run the full conformance suite against the built-in
# reference systems, generate the Allure report, and exit with the conformance exit code:
# 0 conformant, 1 non-conformance found, 2 harness or configuration error.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh || exit 2
if [ ! -d node_modules/@cucumber/cucumber ] || [ npm-shrinkwrap.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || exit 2   # its prepare step builds dist/
fi
# The compiled code (bin/gpc-conform falls back to the TypeScript sources when a source is newer).
[ -f dist/BUILT ] || npm run --silent build || exit 2
# Every part, every report: the summary, JUnit, coverage, the Allure report (one page that opens from disk)
# and the evidence pack in reports/conformance/ (bin/commands/conformance.ts). Arguments pass through,
# e.g. --rerun-failed, --requirement PROV-BOOK, --step 4a.
exec node bin/gpc-conform conformance "$@"
