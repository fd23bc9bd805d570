#!/usr/bin/env bash
# Packs kubeward and installs the tarball the way users do, each time in a fresh directory with a
# cold npm cache: `npm i` (local), `npm i -g` (into a temporary prefix) and `npx`. Prints the
# wall time and the installed size, and fails if any unused package (aws-cdk-lib, constructs) is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm pack --pack-destination "$work" --silent >/dev/null
tgz=$(ls "$work"/kubeward-*.tgz)
echo "tarball: $(du -k "$tgz" | cut -f1) KiB"
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f s", b - a }'; }
unused() {
  if find "$1" -type d \( -name aws-cdk-lib -o -name constructs \) | grep -q .; then
    echo "FAIL: an unused peer package was installed under $1" >&2
    exit 1
  fi
}

# npm i (as a project dependency)
dir="$work/local" && mkdir -p "$dir" && cd "$dir"
echo '{"name":"t","version":"1.0.0","private":true}' >package.json
t0=$(now)
npm_config_cache="$work/cache1" npm i --no-audit --no-fund --loglevel=error "$tgz" >/dev/null
t1=$(now)
unused "$dir/node_modules"
echo "npm i:    $(elapsed "$t0" "$t1"), node_modules $(du -sm node_modules | cut -f1) MB, packages: $(ls node_modules | tr '\n' ' ')"

# npm i -g (into a temporary prefix)
t0=$(now)
npm_config_cache="$work/cache2" npm i -g --prefix "$work/global" --no-audit --no-fund --loglevel=error "$tgz" >/dev/null
t1=$(now)
unused "$work/global"
echo "npm i -g: $(elapsed "$t0" "$t1"), $(du -sm "$work/global" | cut -f1) MB; $("$work/global/bin/kubeward" version)"
# @kubernetes/client-node is an optional peer: not installed, and a live cluster says how to get it.
if [ -e "$work/global/lib/node_modules/@kubernetes/client-node" ]; then
  echo "FAIL: the optional peer @kubernetes/client-node was installed" >&2
  exit 1
fi
echo "live cluster without it: $("$work/global/bin/kubeward" diagnose --kubeconfig /dev/null 2>&1 || true)"

# npx (first run, cold cache: install + a scan)
mkdir -p "$work/npx" && cd "$work/npx"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: x}\n' >cm.yaml
t0=$(now)
npm_config_cache="$work/cache3" npx --yes --package "$tgz" -- kubeward scan . --format json -o out.json || true
t1=$(now)
unused "$work/cache3"
echo "npx:      $(elapsed "$t0" "$t1") (install and first scan), npx cache $(du -sm "$work/cache3" | cut -f1) MB"
