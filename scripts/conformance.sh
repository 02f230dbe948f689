#!/usr/bin/env bash
# The main job: install what is missing, run the full conformance suite against the built-in
# reference systems (Spine in a box and its stand-in provider), generate the Allure report, and
# exit with the conformance exit code: 0 conformant, 1 non-conformance found, 2 harness error.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh || exit 2
if [ ! -d node_modules/@cucumber/cucumber ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || exit 2
fi
rm -rf reports/allure-results reports/conformance
mkdir -p reports
npx cucumber-js --profile conformance
status=$?
# The reference consumer as a supplier's would run: a process driven through its HTTP hook (every
# consumer scenario) and through its web UI in chromium (the happy path).
echo; echo "Consumer conformance, the reference consumer as a process driven through its HTTP hook:"
node bin/gpc-conform run --role consumer --profile profiles/reference-consumer-http.yaml --out reports/run-consumer-http | tail -n 4
http=${PIPESTATUS[0]}
echo; echo "Consumer conformance, the reference consumer's web UI driven by chromium (happy path):"
node bin/gpc-conform run --role consumer --profile profiles/reference-consumer-browser.yaml --tags @happy-path --out reports/run-consumer-browser | tail -n 4
browser=${PIPESTATUS[0]}
for s in $http $browser; do [ "$s" -gt "$status" ] && status=$s; done
node node_modules/allure-commandline/bin/allure generate reports/allure-results -o reports/allure-report --clean >/dev/null || { echo "allure report generation failed"; exit 2; }
# No results means the run itself failed (bad configuration, a crash): a harness error, not a verdict.
node scripts/summarise.js reports/conformance/cucumber.json || exit 2
case $status in
  0) exit 0 ;;
  1) exit 1 ;;
  *) exit 2 ;;
esac
