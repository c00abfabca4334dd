"""Permissions of paraat.exercises, by what a role does (used by ``paraat.accounts.roles``).

Only permission strings here: this module must not import models.

* MANAGE (CPO / secretariat): prepare scenarios, run exercises, evaluate them.
* READ (committee): see the scenarios, and the runs they take part in.
* ADMIN (beheerder): see everything, change nothing.
"""

MANAGE_EXERCISES = "exercises.manage_exercises"
VIEW_SCENARIOS = "exercises.view_scenario"
VIEW_ALL_RUNS = "exercises.view_exerciserun"

MANAGE: tuple[str, ...] = (MANAGE_EXERCISES, VIEW_SCENARIOS, VIEW_ALL_RUNS)  # CPO / secretariat
READ: tuple[str, ...] = (VIEW_SCENARIOS,)  # committee (chair, members, expert members)
ADMIN: tuple[str, ...] = (VIEW_SCENARIOS, VIEW_ALL_RUNS)  # beheerder
