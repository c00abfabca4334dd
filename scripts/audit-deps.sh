#!/usr/bin/env bash
# Dependency audit: pip-audit checks every installed package against the PyPI/OSV advisories.
# Fails on a known vulnerability. Where no advisory service is reachable (an offline mirror),
# it says so plainly and skips, unless PARAAT_REQUIRE_AUDIT=1 makes that a failure too.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
[ -x .venv/bin/pip-audit ] || .venv/bin/python -m pip install --quiet pip-audit
report=$(mktemp); trap 'rm -f "$report"' EXIT
status=0
.venv/bin/pip-audit --progress-spinner off --local --format json >"$report" 2>/dev/null || status=$?
.venv/bin/python - "$report" "$status" <<'PY'
import json, os, sys
path, status = sys.argv[1], int(sys.argv[2])
try:
    data = json.load(open(path))
except (OSError, ValueError):
    print("dependency audit: pip-audit gave no report (exit %d)" % status)
    sys.exit(1 if os.environ.get("PARAAT_REQUIRE_AUDIT") == "1" else 0)
deps = data.get("dependencies", [])
audited = [d for d in deps if "skip_reason" not in d]
vulnerable = [d for d in audited if d.get("vulns")]
for dep in vulnerable:
    for vuln in dep["vulns"]:
        fixed = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
        print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
if vulnerable:
    sys.exit(1)
if not audited:
    print(f"dependency audit: SKIPPED — no advisory data reachable ({len(deps)} packages unaudited;"
          " the package index here is an offline mirror)")
    sys.exit(1 if os.environ.get("PARAAT_REQUIRE_AUDIT") == "1" else 0)
print(f"dependency audit: {len(audited)} of {len(deps)} packages audited, no known vulnerabilities")
PY
