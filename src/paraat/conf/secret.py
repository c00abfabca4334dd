"""Generate and keep a per-installation secret key in the data directory."""

from __future__ import annotations

import secrets
from pathlib import Path


def secret_key_from_data_dir(data_dir: Path) -> str:
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()
