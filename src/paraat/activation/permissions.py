"""Permissions of paraat.activation, by what a role does (used by ``paraat.accounts.roles``).

Only permission strings here: this module must not import models.
"""

_VIEW = ("activation.view_activationcase", "activation.view_secondmentagreement")

MANAGE: tuple[str, ...] = (  # CPO / secretariat: everything, the decision included
    *_VIEW,
    "activation.manage_activation",
    "activation.decide_activation",
    "activation.add_secondmentagreement",
    "activation.change_secondmentagreement",
    "activation.add_activationcase",
    "activation.change_activationcase",
    "activation.add_checklistdefault",
    "activation.change_checklistdefault",
    "activation.view_checklistdefault",
)
READ: tuple[str, ...] = _VIEW  # committee (chair, members, expert members)
ADMIN: tuple[str, ...] = (  # beheerder: views, and keeps the default checklist items (admin)
    *_VIEW,
    "activation.view_checklistdefault",
    "activation.add_checklistdefault",
    "activation.change_checklistdefault",
)
DECIDE: tuple[str, ...] = (  # SZW officer: sees the cases, records the minister's decision
    "activation.view_activationcase",
    "activation.decide_activation",
)
