"""Permissions of paraat.preparedness, by what a role does (used by ``paraat.accounts.roles``).

Only permission strings here: this module must not import models.

* MANAGE (CPO / secretariat): everything — set the mode, plan and record meetings (agenda,
  documents, minutes, attendance and the attendance export for fees), edit the playbook and
  its actions, the budget, and make the yearly report and the evaluation export.
* READ (committee: chair, members, expert members): the mode, meetings (not confidential ones:
  the accounts visibility rules apply) and the playbook with its actions.
* ADMIN (beheerder): the mode, the playbook and meetings.
"""

VIEW_MODE = "preparedness.view_modechange"
SET_MODE = "preparedness.add_modechange"
VIEW_MEETINGS = "preparedness.view_meeting"
MANAGE_MEETINGS = "preparedness.change_meeting"
VIEW_ATTENDANCE = "preparedness.view_attendance"
VIEW_PLAYBOOK = "preparedness.view_playbooksection"
EDIT_PLAYBOOK = "preparedness.change_playbooksection"
VIEW_ACTIONS = "preparedness.view_playbookaction"
MANAGE_ACTIONS = "preparedness.change_playbookaction"
VIEW_BUDGET = "preparedness.view_fundingstream"
MANAGE_BUDGET = "preparedness.change_fundingstream"
REPORT = "preparedness.report_preparedness"

_VIEW = (VIEW_MODE, VIEW_MEETINGS, VIEW_PLAYBOOK, VIEW_ACTIONS)

MANAGE: tuple[str, ...] = (
    *_VIEW,
    SET_MODE,
    "preparedness.add_meeting",
    MANAGE_MEETINGS,
    VIEW_ATTENDANCE,
    "preparedness.add_playbooksection",
    EDIT_PLAYBOOK,
    "preparedness.add_playbookaction",
    MANAGE_ACTIONS,
    VIEW_BUDGET,
    "preparedness.add_fundingstream",
    MANAGE_BUDGET,
    REPORT,
)  # CPO / secretariat
READ: tuple[str, ...] = _VIEW  # committee (chair, members, expert members)
ADMIN: tuple[str, ...] = _VIEW  # beheerder
