#!/usr/bin/env bash
# The English catalogue must be complete and its compiled .mo current.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
po=src/paraat/locale/en/LC_MESSAGES/django.po
cp "$po" "$tmp/before.po"
(cd src/paraat && PARAAT_DATA_DIR="$tmp" ../../.venv/bin/paraat makemessages -l en --no-obsolete \
  --no-location --ignore 'static/vendor/*' >/dev/null)
if ! diff -q <(grep -v '^"POT-Creation-Date' "$tmp/before.po") <(grep -v '^"POT-Creation-Date' "$po") >/dev/null; then
  cp "$tmp/before.po" "$po"
  echo "The English catalogue misses strings: run scripts/translations.sh and translate them." >&2
  exit 1
fi
stats=$(msgfmt --statistics -o /dev/null "$po" 2>&1)
echo "$stats"
if echo "$stats" | grep -qE "untranslated|fuzzy"; then
  echo "Untranslated or fuzzy strings in $po" >&2
  exit 1
fi
msgfmt -o "$tmp/django.mo" "$po"
cmp -s "$tmp/django.mo" src/paraat/locale/en/LC_MESSAGES/django.mo || {
  echo "django.mo is stale: run scripts/translations.sh" >&2; exit 1; }
