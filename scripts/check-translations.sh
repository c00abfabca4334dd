#!/usr/bin/env bash
# The English catalogue must hold exactly the source strings, all translated, and the compiled
# .mo must be current. Leaves the working tree as it was.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
tmp=$(mktemp -d)
po=src/paraat/locale/en/LC_MESSAGES/django.po
cp "$po" "$tmp/committed.po"
trap 'cp "$tmp/committed.po" "$po"; rm -rf "$tmp"' EXIT
(cd src/paraat && PARAAT_DATA_DIR="$tmp/data" ../../.venv/bin/paraat makemessages -l en \
  --no-obsolete --no-location --ignore 'static/vendor/*' >/dev/null)
cp "$po" "$tmp/current.po"
if ! msgcmp --use-untranslated "$tmp/committed.po" "$tmp/current.po" 2>"$tmp/missing" \
   || ! msgcmp --use-untranslated "$tmp/current.po" "$tmp/committed.po" 2>>"$tmp/missing"; then
  head -n 20 "$tmp/missing" >&2
  echo "The English catalogue is out of date: run scripts/translations.sh and translate." >&2
  exit 1
fi
stats=$(msgfmt --statistics -o /dev/null "$tmp/committed.po" 2>&1)
echo "$stats"
if echo "$stats" | grep -qE "untranslated|fuzzy"; then
  echo "Untranslated or fuzzy strings in $po" >&2
  exit 1
fi
msgfmt -o "$tmp/django.mo" "$tmp/committed.po"
cmp -s "$tmp/django.mo" src/paraat/locale/en/LC_MESSAGES/django.mo || {
  echo "django.mo is stale: run scripts/translations.sh" >&2; exit 1; }
echo "English catalogue complete and compiled."
