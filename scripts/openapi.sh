#!/usr/bin/env bash
# Generate docs/openapi.yaml from the code; with --check, fail when the committed file is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PARAAT_DATA_DIR="$tmp" .venv/bin/paraat spectacular --api-version v1 --validate --fail-on-warn \
  --file "$tmp/openapi.yaml"
if [ "${1:-}" = "--check" ]; then
  if ! diff -u docs/openapi.yaml "$tmp/openapi.yaml"; then
    echo "docs/openapi.yaml is stale: run scripts/openapi.sh and commit the result." >&2
    exit 1
  fi
  echo "docs/openapi.yaml is current."
else
  cp "$tmp/openapi.yaml" docs/openapi.yaml
  echo "wrote docs/openapi.yaml"
fi
