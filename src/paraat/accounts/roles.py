"""The roles of paraat as data: a Django group per role with its model permissions.

Roles follow the brief (section 3) and the evaluation of the MIT. ``roles_sync`` in
``services.py`` makes the groups in the database match this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from paraat.activation import permissions as activation_perms
from paraat.exercises import permissions as exercises_perms
from paraat.network import permissions as network_perms
from paraat.panels import permissions as panels_perms
from paraat.preparedness import permissions as preparedness_perms


@dataclass(frozen=True)
class Role:
    key: str
    name: str | Promise
    description: str | Promise
    permissions: tuple[str, ...]
    can_vote: bool = False


_READ_CATALOG = (
    "measures.view_measure",
    "measures.view_package",
    "measures.view_jurisdiction",
    "measures.view_timelineevent",
    "indicators.view_indicator",
    "taxonomies.view_domain",
    "taxonomies.view_populationgroup",
    "taxonomies.view_sector",
    "evidence.view_evidenceitem",
    "evidence.view_fiche",
    "evidence.view_knowledgedossier",
    "assessments.view_assessment",
    "assessments.view_assessmentversion",
)
_CONTRIBUTE_EVIDENCE = ("evidence.add_evidenceitem",)
_EDIT_KNOWLEDGE = (
    "evidence.add_evidenceitem",
    "evidence.change_evidenceitem",
    "evidence.add_evidencelink",
    "evidence.delete_evidencelink",
    "evidence.import_evidence",
    "evidence.add_fiche",
    "evidence.change_fiche",
    "evidence.review_fiche",
    "evidence.add_knowledgedossier",
    "evidence.change_knowledgedossier",
)
_EDIT_CATALOG = (
    "measures.add_measure",
    "measures.change_measure",
    "measures.add_package",
    "measures.change_package",
    "measures.add_timelineevent",
    "measures.change_timelineevent",
    "measures.import_oxcgrt",
    "taxonomies.add_populationgroup",
    "taxonomies.change_populationgroup",
    "taxonomies.add_sector",
    "taxonomies.change_sector",
    "taxonomies.add_domain",
    "taxonomies.change_domain",
)

_EDIT_INDICATORS = (
    "indicators.add_observation",
    "indicators.add_indicator",
    "indicators.change_indicator",
    "indicators.add_signalrule",
    "indicators.change_signalrule",
    "indicators.add_compositeindex",
    "indicators.change_compositeindex",
    "indicators.add_compositerun",
)
# Assessments (afwegingen): analysts and the CPO secretariat build and analyse them
# (``paraat.assessments.permissions.EDIT_PERMS`` is this list).
EDIT_ASSESSMENTS = (
    "assessments.add_assessment",
    "assessments.change_assessment",
    "assessments.add_option",
    "assessments.change_option",
    "assessments.delete_option",
    "assessments.add_judgement",
    "assessments.change_judgement",
    "assessments.delete_judgement",
    "assessments.add_effectiveness",
    "assessments.change_effectiveness",
    "assessments.delete_effectiveness",
    "assessments.add_assessmentversion",
)
# The fundamental rights and rights questions are editable reference data.
_EDIT_RIGHTS_CATALOGUE = (
    "assessments.add_fundamentalright",
    "assessments.change_fundamentalright",
    "assessments.add_rightsquestion",
    "assessments.change_rightsquestion",
)

# Advice process (adviesproces): who sees requests and drafts, writes, votes, signs.
_VIEW_ADVICE = ("advice.view_advicerequest",)
_COMMITTEE_ADVICE = (
    *_VIEW_ADVICE,
    "advice.view_advicerevision",
    "advice.add_comment",
)
MANAGE_ADVICE = (
    *_COMMITTEE_ADVICE,
    "advice.add_advicerequest",
    "advice.change_advicerequest",
    "advice.manage_advice",
    "advice.add_advicerevision",
    "advice.grant_omt_access",
    "advice.record_cabinet_response",
)

# Network, citizens' panel, standby, activation and exercises (issue 7): each app names its
# permissions by what a role does in its ``permissions`` module.
_STANDBY_MANAGE = (
    *network_perms.MANAGE,
    *panels_perms.MANAGE,
    *preparedness_perms.MANAGE,
    *activation_perms.MANAGE,
    *exercises_perms.MANAGE,
)
_STANDBY_READ = (
    *network_perms.READ,
    *panels_perms.READ,
    *preparedness_perms.READ,
    *activation_perms.READ,
    *exercises_perms.READ,
)
_STANDBY_ADMIN = (
    *network_perms.ADMIN,
    *panels_perms.ADMIN,
    *preparedness_perms.ADMIN,
    *activation_perms.ADMIN,
    *exercises_perms.ADMIN,
)

ADMIN = "beheerder"
CPO = "cpo-secretariaat"
CHAIR = "voorzitter"
MEMBER = "commissielid"
EXPERT_MEMBER = "expertlid"
EXTERNAL_EXPERT = "externe-expert"
CIRCLE_LEAD = "praktijkkring-trekker"
SZW_OFFICER = "szw-beleidsmedewerker"
ANALYST = "analist"

ROLES: tuple[Role, ...] = (
    Role(
        ADMIN,
        _("Beheerder"),
        _("Beheert gebruikers, rollen en de technische inrichting; ziet de audittrail."),
        (
            *_READ_CATALOG,
            *_EDIT_CATALOG,
            *_EDIT_KNOWLEDGE,
            *_EDIT_INDICATORS,
            *_EDIT_RIGHTS_CATALOGUE,
            "measures.delete_measure",
            "measures.delete_package",
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
            "accounts.erase_user",
            "accounts.view_accounterasure",
            "accounts.view_audit",
            # Logins and lock-outs of the login throttling (admin → Axes); deleting an attempt
            # lifts a lock-out.
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "axes.view_accesslog",
            "axes.view_accessfailurelog",
            "accounts.view_confidential",
            "accounts.add_accessgrant",
            "accounts.view_accessgrant",
            "jobs.view_job",
            *_STANDBY_ADMIN,
        ),
    ),
    Role(
        CPO,
        _("CPO / secretariaat"),
        _("Chief Preparedness Officer en secretariaat: dagelijks beheer van kennis en proces."),
        (
            *_READ_CATALOG,
            *_EDIT_CATALOG,
            *_EDIT_KNOWLEDGE,
            *_EDIT_INDICATORS,
            *EDIT_ASSESSMENTS,
            *_EDIT_RIGHTS_CATALOGUE,
            *MANAGE_ADVICE,
            "accounts.view_confidential",
            "accounts.add_accessgrant",
            "accounts.view_accessgrant",
            "jobs.view_job",
            *_STANDBY_MANAGE,
            *_STANDBY_READ,
        ),
    ),
    Role(
        CHAIR,
        _("Voorzitter"),
        _("Voorzitter van de commissie; stemt mee."),
        (
            *_READ_CATALOG,
            *_CONTRIBUTE_EVIDENCE,
            "evidence.review_fiche",
            *_COMMITTEE_ADVICE,
            "advice.add_advicerevision",
            "advice.sign_off_advice",
            *_STANDBY_READ,
        ),
        True,
    ),
    Role(
        MEMBER,
        _("Commissielid"),
        _("Lid met stemrecht."),
        (*_READ_CATALOG, *_COMMITTEE_ADVICE, "advice.add_advicerevision", *_STANDBY_READ),
        True,
    ),
    Role(
        EXPERT_MEMBER,
        _("Expertlid"),
        _("Expertlid namens een planbureau of instituut; adviseert zonder stem."),
        (
            *_READ_CATALOG,
            *_CONTRIBUTE_EVIDENCE,
            "evidence.review_fiche",
            *_COMMITTEE_ADVICE,
            *_STANDBY_READ,
        ),
    ),
    Role(
        EXTERNAL_EXPERT,
        _("Externe expert"),
        _("Expert uit de pool; levert op verzoek input."),
        ("measures.view_measure", "measures.view_package", *_CONTRIBUTE_EVIDENCE),
    ),
    Role(
        CIRCLE_LEAD,
        _("Praktijkkring-trekker"),
        _("Trekker van een praktijkkring; haalt snel signalen op."),
        ("measures.view_measure", "measures.view_package", *_CONTRIBUTE_EVIDENCE),
    ),
    Role(
        SZW_OFFICER,
        _("SZW-beleidsmedewerker"),
        _("Beleidsmedewerker van SZW: vraagt advies en legt de kabinetsreactie vast."),
        (
            *_READ_CATALOG,
            *_VIEW_ADVICE,
            "advice.add_advicerequest",
            "advice.record_cabinet_response",
            *activation_perms.DECIDE,
        ),
    ),
    Role(
        ANALYST,
        _("Analist"),
        _("Analist bij een ministerie: leest de kennisbasis en bouwt afwegingen."),
        (*_READ_CATALOG, *EDIT_ASSESSMENTS),
    ),
)

ROLES_BY_KEY = {role.key: role for role in ROLES}
