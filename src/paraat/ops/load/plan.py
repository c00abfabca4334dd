"""How the simulated users of the load scenario are split (no Django: the locustfile uses it).

Most users are public readers; the rest need an account each, made by
``paraat loadtest setup``: the secretariat editing one draft, members voting in the open
decision rounds, and the importers of reference files.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

ROUNDS = 5
"""Open decision rounds (one advice request each) the members vote in."""

PREFIX = "loadtest"
"""Every account, request key and imported file name of the scenario starts with this."""


@dataclass(frozen=True)
class Plan:
    users: int
    secretariat: int
    members: int
    importers: int
    rounds: int = ROUNDS

    @property
    def readers(self) -> int:
        return self.users - self.secretariat - self.members - self.importers

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "readers": self.readers}


def plan_for(users: int, *, rounds: int = ROUNDS) -> Plan:
    """About 5 % secretariat (at least 2, so their edits can collide), 15 % members (at
    least 2), 1 % importers (at least 1); the rest (at least 1) read the public pages."""
    if users < 6:
        raise ValueError("the load scenario needs at least 6 users")
    if rounds < 1:
        raise ValueError("at least one decision round")
    secretariat = max(2, math.ceil(users * 0.05))
    members = max(2, math.ceil(users * 0.15))
    importers = max(1, users // 100)
    return Plan(
        users=users, secretariat=secretariat, members=members, importers=importers, rounds=rounds
    )


def totp(key_hex: str, *, at: float, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows at ``at`` (RFC 6238 with SHA-1, as django-otp's
    TOTP devices use): the load-test accounts give it like a person types it."""
    import hashlib
    import hmac

    counter = int(at // step)
    mac = hmac.new(bytes.fromhex(key_hex), counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = (int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF) % 10**digits
    return f"{value:0{digits}d}"
