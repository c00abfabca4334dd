"""Permissions of paraat.network, by what a role does (used by ``paraat.accounts.roles``).

Only permission strings here: this module must not import models.

- ``MANAGE`` (CPO / secretariat): add, change and view everything in the network, contact
  details included; confirm availability; record declarations of interest.
- ``ADMIN`` (beheerder): view people and their contact details, change them (privacy: consent,
  retention, deletion on request), manage the disciplines; see the coverage.
- ``READ`` (chair, members, expert members): the committee, the practice circles and the
  coverage — never contact details, never the pool or the card index of candidates.
"""

VIEW_COMMITTEE = "network.view_membership"
VIEW_CIRCLES = "network.view_practicecircle"
VIEW_COVERAGE = "network.view_coverage"
VIEW_PEOPLE = "network.view_person"
VIEW_CONTACT = "network.view_contact_details"
CHANGE_PERSON = "network.change_person"
ADD_PERSON = "network.add_person"
ERASE_PERSON = "network.erase_person"
VIEW_CANDIDATES = "network.view_candidate"
CHANGE_CANDIDATE = "network.change_candidate"
ADD_CANDIDATE = "network.add_candidate"
CONFIRM_AVAILABILITY = "network.confirm_availability"
VIEW_POOL = "network.view_poolexpert"
ADD_POOL = "network.add_poolexpert"
CHANGE_POOL = "network.change_poolexpert"
ADD_MEMBERSHIP = "network.add_membership"
CHANGE_MEMBERSHIP = "network.change_membership"
VIEW_ORGANISATIONS = "network.view_organisation"
ADD_ORGANISATION = "network.add_organisation"
CHANGE_ORGANISATION = "network.change_organisation"
ADD_CIRCLE = "network.add_practicecircle"
CHANGE_CIRCLE = "network.change_practicecircle"
VIEW_DISCIPLINES = "network.view_discipline"
ADD_DISCIPLINE = "network.add_discipline"
CHANGE_DISCIPLINE = "network.change_discipline"
ADD_DECLARATION = "network.add_interestdeclaration"
VIEW_DECLARATIONS = "network.view_interestdeclaration"
VIEW_ERASURES = "network.view_erasurerecord"

MANAGE: tuple[str, ...] = (
    VIEW_PEOPLE,
    VIEW_CONTACT,
    ADD_PERSON,
    CHANGE_PERSON,
    ERASE_PERSON,
    VIEW_ORGANISATIONS,
    ADD_ORGANISATION,
    CHANGE_ORGANISATION,
    VIEW_COMMITTEE,
    ADD_MEMBERSHIP,
    CHANGE_MEMBERSHIP,
    VIEW_POOL,
    ADD_POOL,
    CHANGE_POOL,
    VIEW_CANDIDATES,
    ADD_CANDIDATE,
    CHANGE_CANDIDATE,
    CONFIRM_AVAILABILITY,
    VIEW_DECLARATIONS,
    ADD_DECLARATION,
    VIEW_CIRCLES,
    ADD_CIRCLE,
    CHANGE_CIRCLE,
    VIEW_DISCIPLINES,
    ADD_DISCIPLINE,
    CHANGE_DISCIPLINE,
    VIEW_COVERAGE,
    VIEW_ERASURES,
)
READ: tuple[str, ...] = (
    VIEW_COMMITTEE,
    VIEW_CIRCLES,
    VIEW_COVERAGE,
    VIEW_ORGANISATIONS,
    VIEW_DISCIPLINES,
)
ADMIN: tuple[str, ...] = (
    VIEW_PEOPLE,
    VIEW_CONTACT,
    CHANGE_PERSON,
    ERASE_PERSON,
    VIEW_ORGANISATIONS,
    VIEW_COMMITTEE,
    VIEW_DISCIPLINES,
    ADD_DISCIPLINE,
    CHANGE_DISCIPLINE,
    VIEW_COVERAGE,
    VIEW_CIRCLES,
    VIEW_ERASURES,
)
