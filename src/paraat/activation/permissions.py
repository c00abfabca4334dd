"""Permissions of paraat.activation, by what a role does (used by ``paraat.accounts.roles``).

Only permission strings here: this module must not import models.
"""

MANAGE: tuple[str, ...] = ()  # CPO / secretariat
READ: tuple[str, ...] = ()  # committee (chair, members, expert members)
ADMIN: tuple[str, ...] = ()  # beheerder
DECIDE: tuple[str, ...] = ()  # SZW officer: records the minister's decision
