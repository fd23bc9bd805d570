#!/usr/bin/env bash
# The GitHub Action's scan step (see action.yml): runs kubeward once and writes
#   - annotations on the pull request (--format github, to the log),
#   - SARIF for code scanning (INPUT_SARIF_FILE, uploaded by the next step),
#   - a Markdown job summary (appended to $GITHUB_STEP_SUMMARY),
#   - step outputs exit-code, findings and sarif (to $GITHUB_OUTPUT).
# It always exits 0 so that the SARIF upload runs; action.yml fails the job afterwards.
set -uo pipefail

: "${GITHUB_WORKSPACE:?GITHUB_WORKSPACE is not set (this script runs inside GitHub Actions)}"
cd "$GITHUB_WORKSPACE" || exit 2
read -ra kubeward <<<"${KUBEWARD_BIN:-kubeward}"
read -ra paths <<<"${INPUT_PATH:-.}"
read -ra extra <<<"${INPUT_ARGS:-}"
sarif=${INPUT_SARIF_FILE:-kubeward.sarif}
work=$(mktemp -d "${RUNNER_TEMP:-/tmp}/kubeward.XXXXXX")

args=(scan "${paths[@]}" --fail-on "${INPUT_FAIL_ON:-low}"
  --format github
  --format sarif -o "$sarif"
  --format markdown -o "$work/summary.md"
  --format json -o "$work/report.json")
if [ -n "${INPUT_BASELINE:-}" ]; then args+=(--baseline "$INPUT_BASELINE"); fi
args+=("${extra[@]}")

"${kubeward[@]}" "${args[@]}"
code=$?

findings=""
if [ -f "$work/report.json" ]; then
  findings=$(node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).summary.findings))' "$work/report.json")
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  if [ -f "$work/summary.md" ]; then
    cat "$work/summary.md" >>"$GITHUB_STEP_SUMMARY"
  else
    printf '### kubeward did not finish (exit code %s)\n\nSee the step log.\n' "$code" >>"$GITHUB_STEP_SUMMARY"
  fi
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    echo "findings=$findings"
    if [ -f "$sarif" ]; then echo "sarif=$sarif"; else echo "sarif="; fi
  } >>"$GITHUB_OUTPUT"
fi
rm -rf "$work"
exit 0
