#!/usr/bin/env bash
# Update the English catalogue from the Dutch source strings and compile it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd src/paraat && PARAAT_DATA_DIR="$tmp" ../../.venv/bin/paraat makemessages -l en --no-obsolete \
  --no-location --ignore 'static/vendor/*')
msgfmt -o src/paraat/locale/en/LC_MESSAGES/django.mo src/paraat/locale/en/LC_MESSAGES/django.po
msgfmt --statistics -o /dev/null src/paraat/locale/en/LC_MESSAGES/django.po
