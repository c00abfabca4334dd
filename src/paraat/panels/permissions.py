"""Permissions of paraat.panels, by what a role does (used by ``paraat.accounts.roles``).

Only permission strings here: this module must not import models.
"""

MANAGE_PERM = "panels.manage_panels"
RESULTS_PERM = "panels.view_panel_results"
PANELIST_VIEW_PERM = "panels.view_panelist"
PANELIST_DELETE_PERM = "panels.delete_panelist"

MANAGE: tuple[str, ...] = (  # CPO / secretariat: everything
    MANAGE_PERM,
    RESULTS_PERM,
    PANELIST_VIEW_PERM,
    PANELIST_DELETE_PERM,
)
READ: tuple[str, ...] = (RESULTS_PERM,)  # committee: results, never panelists
ADMIN: tuple[str, ...] = (PANELIST_VIEW_PERM, PANELIST_DELETE_PERM)  # beheerder: privacy requests
