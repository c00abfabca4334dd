"""The canary world of the leak tests (``test_leaks.py``): public anchors, and one canary of
every kind of restricted item, each carrying a unique marker in its title and its body text.

Everything is made through the apps' services (or the apps' test factories), so the rows,
histories and search indexes are exactly as in production. ``build_world``
returns a :class:`World`: the users per audience, the public anchors the URLs need, and the
:class:`Canary` list. Nothing here asserts; ``test_leaks.py`` does.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote

from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality, User
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory

PUBLIC = Confidentiality.PUBLIC
INTERNAL = Confidentiality.INTERNAL
CONFIDENTIAL = Confidentiality.CONFIDENTIAL

# --- audiences --------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
PRIVILEGED = "cpo"
"""The reader who may see every canary (CPO / secretariat: confidential items, contact details,
OMT information, exercises): the positive controls read as this user."""

# Usernames of the audiences that are checked for leaks, with their role.
AUDIENCE_ROLES: dict[str, str] = {
    "lid": roles.MEMBER,  # committee member: internal items, drafts; nothing confidential
    "voorzitter": roles.CHAIR,  # chair: drafts, votes, sign-off; nothing confidential
    "szw": roles.SZW_OFFICER,  # SZW: requests and the sent advice, not the drafts
    "extern": roles.EXTERNAL_EXPERT,  # pool expert: a role (internal items), no advice process
    "analist": roles.ANALYST,  # analyst: knowledge base and assessments, no advice process
}
NON_PRIVILEGED = (ANONYMOUS, *AUDIENCE_ROLES)

# Who may not see what (the forbidden audiences of a canary).
NOT_CONFIDENTIAL = frozenset({ANONYMOUS, *AUDIENCE_ROLES})
NOT_INTERNAL = frozenset({ANONYMOUS})
NOT_ADVICE_PROCESS = frozenset({ANONYMOUS, "extern", "analist"})
NOT_DRAFTS = NOT_ADVICE_PROCESS | {"szw"}


@dataclass
class Canary:
    """One restricted item. Its title and body carry ``marker``: the searchable part
    ``CANARY-<code>-<hex>`` (used as a search query) and a secret word that is never typed in
    a request (so a page that echoes a query is still checked for the item itself)."""

    kind: str
    marker: str
    what: str
    forbidden: frozenset[str]
    pages: list[str] = field(default_factory=list)
    """Pages on which the privileged reader sees the marker (positive control, and the
    direct URLs every forbidden audience is refused)."""
    api: list[str] = field(default_factory=list)
    """API URLs on which the privileged reader sees the marker."""
    exports: list[str] = field(default_factory=list)
    """Names of exports (see ``test_leaks.EXPORTS``) in which the privileged reader finds it."""
    searchable: bool = False
    """The HTML and API search find it by its marker for the privileged reader."""
    mails: bool = False
    """Some notification to a reader who may see it names it (positive control of the mail
    channel); ``False``: the mails never name it, for anyone."""
    outsiders_may_hear: bool = False
    """People without an account who are asked about it (invited panelists) may be mailed its
    title."""
    extra_needles: tuple[str, ...] = ()

    @property
    def query(self) -> str:
        """What a curious reader would search for: ``CANARY-<code>-<hex>``."""
        return self.marker.split()[0]

    @property
    def token(self) -> str:
        """The unique part of the query (lower case)."""
        return self.query.rsplit("-", 1)[1].lower()

    @property
    def secret(self) -> str | None:
        parts = self.marker.split()
        return parts[1].lower() if len(parts) > 1 else None

    def needles(self, *, asked: str = "") -> tuple[str, ...]:
        """What must not be found. ``asked``: what the request carried itself (a page may
        repeat what was asked, such as a search query or a URL); a needle in it is not
        looked for, the secret word always is (no request carries it)."""
        carried = asked.lower()
        every = [self.token, *(self.extra_needles)]
        found = [n for n in every if n.lower() not in carried and quote(n).lower() not in carried]
        if self.secret:
            found.append(self.secret)
        return tuple(found)

    def found_in(self, text: str, *, asked: str = "") -> bool:
        folded, squeezed = _folded(text)
        return any(
            n.lower() in folded or "".join(n.lower().split()) in squeezed
            for n in self.needles(asked=asked)
        )

    def context(self, text: str, *, asked: str = "") -> str:
        """Where in ``text`` the canary is (for a failure message)."""
        folded = text.lower()
        for needle in self.needles(asked=asked):
            at = folded.find(needle.lower())
            if at >= 0:
                return repr(text[max(0, at - 120) : at + 80])
        return repr(text[:200])

    def __str__(self) -> str:
        return self.kind


@dataclass
class World:
    users: dict[str, User]
    anchors: dict[str, Any]
    canaries: list[Canary]

    def canary(self, kind: str) -> Canary:
        return next(c for c in self.canaries if c.kind == kind)


@functools.lru_cache(maxsize=4096)
def _folded(text: str) -> tuple[str, str]:
    """``text`` in lower case, and also without any white space (PDF text may break a marker
    over lines); cached, as every canary looks through the same answers."""
    folded = text.lower()
    return folded, "".join(folded.split())


def forget_texts() -> None:
    """Drop the cached lower-case texts (at the end of the module)."""
    _folded.cache_clear()


def text_pdf(text: str) -> bytes:
    """A one-page PDF whose text is ``text`` (ASCII), readable by pypdf."""
    stream = f"BT /F1 11 Tf 20 100 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 500 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def new_marker(code: str) -> str:
    """``CANARY-<code>-<12 hex>`` and a secret word ``geheim<12 hex>``, space separated."""
    return f"CANARY-{code}-{uuid.uuid4().hex[:12]} geheim{uuid.uuid4().hex[:12]}"


# --- the world ---------------------------------------------------------------------------------


def _users() -> dict[str, User]:
    roles_sync()
    users = {
        "cpo": UserFactory(username="cpo", roles=[roles.CPO]),
        "beheer": UserFactory(username="beheer", roles=[roles.ADMIN]),
        "lid2": UserFactory(username="lid2", roles=[roles.MEMBER]),
        "lid3": UserFactory(username="lid3", roles=[roles.MEMBER]),
        "expert": UserFactory(username="expert", roles=[roles.EXPERT_MEMBER], organisation="SCP"),
        "kring": UserFactory(username="kring", roles=[roles.CIRCLE_LEAD]),
    }
    for username, role in AUDIENCE_ROLES.items():
        users[username] = UserFactory(username=username, roles=[role])
    # A committee member who may also make the yearly report and the evaluation export (a
    # permission of the CPO role) but may not see confidential items.
    reporter = UserFactory(username="rapporteur", roles=[roles.MEMBER])
    reporter.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="preparedness", codename="report_preparedness"
        )
    )
    users["rapporteur"] = reporter
    return users


def build_world() -> World:
    from paraat.taxonomies.tests.factories import DomainFactory, PopulationGroupFactory

    users = _users()
    anchors: dict[str, Any] = {}
    canaries: list[Canary] = []
    domains = [
        DomainFactory(key="mental-health", name_nl="Mentale gezondheid", position=1),
        DomainFactory(key="economy", name_nl="Economie", position=2),
    ]
    groups = [
        PopulationGroupFactory(key="young-people", name_nl="Jongeren", position=1),
        PopulationGroupFactory(key="travellers", name_nl="Reizigers", position=2),
    ]
    anchors["domains"], anchors["groups"] = domains, groups
    _catalogue(anchors, canaries)
    _knowledge(users, anchors, canaries)
    _indicators(anchors, canaries)
    _assessments(users, anchors, canaries)
    _advice(users, anchors, canaries)
    _network(users, anchors, canaries)
    _panels(users, anchors, canaries)
    _preparedness(users, anchors, canaries)
    _activation(users, anchors, canaries)
    return World(users=users, anchors=anchors, canaries=canaries)


def _catalogue(anchors: dict[str, Any], canaries: list[Canary]) -> None:
    from paraat.measures.tests.factories import (
        JurisdictionFactory,
        MeasureFactory,
        PackageFactory,
        PackageItemFactory,
        TimelineEventFactory,
    )

    nl = JurisdictionFactory()
    anchors["jurisdiction"] = nl
    anchors["measure"] = MeasureFactory(key="leak-open-maatregel", name_nl="Open maatregel")
    anchors["measure2"] = MeasureFactory(key="leak-open-maatregel-2", name_nl="Tweede maatregel")
    anchors["package"] = PackageFactory(key="leak-open-pakket", name_nl="Open pakket")
    PackageItemFactory(package=anchors["package"], measure=anchors["measure"])
    TimelineEventFactory(jurisdiction=nl, title_nl="Openbare persconferentie")

    marker = new_marker("mec")
    secret_measure = MeasureFactory(
        key="leak-vertrouwelijke-maatregel",
        name_nl=f"{marker} maatregel",
        name_en=f"{marker} measure",
        description_nl=f"Omschrijving {marker}.",
        confidentiality=CONFIDENTIAL,
        oxcgrt_indicator="C2",
    )
    PackageItemFactory(package=anchors["package"], measure=secret_measure)
    canaries.append(
        Canary(
            "measure-confidential",
            marker,
            "a confidential measure, part of a public package",
            NOT_CONFIDENTIAL,
            pages=[reverse("measures:measure_detail", args=[secret_measure.key])],
            api=[f"/api/v1/measures/{secret_measure.key}/"],
            searchable=True,
        )
    )
    marker = new_marker("pac")
    secret_package = PackageFactory(
        key="leak-vertrouwelijk-pakket",
        name_nl=f"{marker} pakket",
        description_nl=f"Omschrijving {marker}.",
        confidentiality=CONFIDENTIAL,
    )
    PackageItemFactory(package=secret_package, measure=anchors["measure"])
    canaries.append(
        Canary(
            "package-confidential",
            marker,
            "a confidential package with a public measure",
            NOT_CONFIDENTIAL,
            pages=[reverse("measures:package_detail", args=[secret_package.key])],
            api=[f"/api/v1/packages/{secret_package.key}/"],
            searchable=True,
        )
    )
    marker = new_marker("tlc")
    TimelineEventFactory(
        jurisdiction=nl,
        title_nl=f"{marker} vertrouwelijk overleg",
        source=f"Notitie {marker}",
        confidentiality=CONFIDENTIAL,
        date=dt.date(2020, 3, 20),
    )
    canaries.append(
        Canary(
            "timeline-event-confidential",
            marker,
            "a confidential event on the Netherlands timeline",
            NOT_CONFIDENTIAL,
            pages=[reverse("measures:timeline")],
        )
    )
    anchors["secret_measure"], anchors["secret_package"] = secret_measure, secret_package


def _evidence(title: str, level: str, **extra: Any) -> Any:
    from paraat.evidence.tests.factories import EvidenceItemFactory

    return EvidenceItemFactory(
        title=title, confidentiality=level, published_on=dt.date(2021, 6, 1), **extra
    )


def _knowledge(users: dict[str, User], anchors: dict[str, Any], canaries: list[Canary]) -> None:
    from paraat.evidence import services as ev
    from paraat.evidence.tests.factories import fiche_create

    domain, group = anchors["domains"][0], anchors["groups"][0]
    cpo = users["cpo"]
    public_item = _evidence("Openbaar onderzoek naar scholen", PUBLIC)
    anchors["evidence"] = public_item

    marker = new_marker("evc")
    secret_item = _evidence(
        f"{marker} vertrouwelijk rapport",
        CONFIDENTIAL,
        summary=f"Samenvatting {marker} met gevoelige cijfers.",
        full_text=f"Volledige tekst {marker}.",
        organisation="Vertrouwelijke bron",
    )
    marker_i = new_marker("evi")
    internal_item = _evidence(
        f"{marker_i} interne notitie",
        INTERNAL,
        summary=f"Samenvatting {marker_i} voor intern gebruik.",
    )
    for item in (public_item, secret_item, internal_item):
        ev.evidence_link_create(
            item=item,
            data=ev.LinkData(
                measure=anchors["measure"], domain=domain, group=group, direction="negative"
            ),
            user=cpo,
        )
    ev.evidence_link_create(
        item=secret_item, data=ev.LinkData(package=anchors["package"]), user=cpo
    )
    # The public item also speaks about the confidential measure and package.
    ev.evidence_link_create(
        item=public_item,
        data=ev.LinkData(measure=anchors["secret_measure"], package=anchors["secret_package"]),
        user=cpo,
    )
    # The confidential item's PDF attachment holds the marker too (its text is searchable).
    ev.evidence_attach_pdf(
        item=secret_item, content=text_pdf(f"Bijlage {marker} pagina een"), file_name="b.pdf"
    )
    anchors["secret_item"], anchors["internal_item"] = secret_item, internal_item
    canaries.append(
        Canary(
            "evidence-confidential",
            marker,
            "a confidential library item, linked to a public measure and package, key evidence "
            "and cell evidence of a public fiche, in a public dossier, cited by a public "
            "assessment",
            NOT_CONFIDENTIAL,
            pages=[
                reverse("evidence:detail", args=[secret_item.pk]),
                reverse("evidence:attachment", args=[secret_item.pk]),
            ],
            api=[f"/api/v1/evidence/{secret_item.pk}/"],
            exports=["evidence-csv", "evidence-ris", "evidence-csljson", "evidence-api-export"],
            searchable=True,
            extra_needles=(secret_item.ref,),  # its citation key reveals it as well
        )
    )
    canaries.append(
        Canary(
            "evidence-internal",
            marker_i,
            "an internal library item, linked to a public measure",
            NOT_INTERNAL,
            pages=[reverse("evidence:detail", args=[internal_item.pk])],
            api=[f"/api/v1/evidence/{internal_item.pk}/"],
            exports=["evidence-csv", "evidence-ris", "evidence-csljson", "evidence-api-export"],
            searchable=True,
        )
    )

    # A public fiche whose key evidence and cells cite the restricted items, with one
    # confidential cell; the reviewer is a committee member (the review notice goes to them).
    marker = new_marker("fcc")
    fiche = fiche_create(
        anchors["measure"],
        summary="Openbare samenvatting van de fiche.",
        key_evidence=(public_item, secret_item, internal_item),
        reviewer=users["lid"],
        cells=(
            ev.CellData(
                domain=domain,
                group=group,
                direction="negative",
                note="Openbare regel.",
                evidence=(public_item,),
            ),
            ev.CellData(
                domain=domain,
                group=anchors["groups"][1],
                direction="negative",
                note="Interne regel.",
                evidence=(public_item, secret_item, internal_item),
                confidentiality=INTERNAL,
            ),
            ev.CellData(
                domain=anchors["domains"][1],
                direction="negative",
                note=f"Vertrouwelijke regel {marker}.",
                evidence=(secret_item,),
                confidentiality=CONFIDENTIAL,
            ),
        ),
    )
    # A second version changes the confidential cell (the public diff compares the two).
    content = ev.fiche_content_of(fiche.versions.get(number=1))
    ev.fiche_version_create(
        fiche=fiche,
        content=replace(
            content,
            cells=tuple(
                replace(c, note=f"Herziene vertrouwelijke regel {marker}.")
                if c.confidentiality == CONFIDENTIAL
                else c
                for c in content.cells
            ),
        ),
        user=cpo,
        change_note="Regel herzien.",
    )
    anchors["fiche"] = fiche
    fiche_url = reverse("evidence:fiche_detail", args=[anchors["measure"].key])
    canaries.append(
        Canary(
            "fiche-cell-confidential",
            marker,
            "a confidential cell in a public fiche",
            NOT_CONFIDENTIAL,
            pages=[fiche_url],
            api=[f"/api/v1/fiches/{anchors['measure'].key}/"],
            exports=["fiche-pdf", "fiche-docx"],
        )
    )
    marker = new_marker("fic")
    fiche_create(
        anchors["measure2"],
        summary=f"Vertrouwelijke fiche {marker}.",
        knowledge_gaps=f"Lacune {marker}.",
        confidentiality=CONFIDENTIAL,
    )
    # A public fiche of the confidential measure (its name must stay hidden all the same).
    fiche_create(anchors["secret_measure"], summary="Openbare samenvatting.")
    canaries.append(
        Canary(
            "fiche-confidential",
            marker,
            "a confidential fiche of a public measure",
            NOT_CONFIDENTIAL,
            pages=[reverse("evidence:fiche_detail", args=[anchors["measure2"].key])],
            api=[f"/api/v1/fiches/{anchors['measure2'].key}/"],
        )
    )
    # A public dossier holding the restricted items, and a confidential dossier.
    anchors["dossier"] = ev.dossier_save(
        dossier=None,
        key="leak-open-dossier",
        title_nl="Open kennisdossier",
        title_en="",
        measures=[anchors["measure"], anchors["secret_measure"]],
        reviewer=None,
        confidentiality=PUBLIC,
        synthesis=f"Scholen dicht raakt jongeren [@{public_item.ref}].",
        open_questions="",
        items=[public_item, secret_item, internal_item],
        change_note="",
        user=cpo,
    )
    marker = new_marker("doc")
    secret_dossier = ev.dossier_save(
        dossier=None,
        key="leak-vertrouwelijk-dossier",
        title_nl=f"{marker} vertrouwelijk dossier",
        title_en="",
        measures=[anchors["measure"]],
        reviewer=None,
        confidentiality=CONFIDENTIAL,
        synthesis=f"Synthese {marker} [@{public_item.ref}].",
        open_questions="",
        items=[public_item],
        change_note="",
        user=cpo,
    )
    canaries.append(
        Canary(
            "dossier-confidential",
            marker,
            "a confidential knowledge dossier about a public measure",
            NOT_CONFIDENTIAL,
            pages=[reverse("evidence:dossier_detail", args=[secret_dossier.key])],
            api=[f"/api/v1/dossiers/{secret_dossier.key}/"],
        )
    )
    # An item that was confidential and was made public with another title: its change
    # history holds the old title.
    marker = new_marker("his")
    was_secret = _evidence(
        f"{marker} eerst vertrouwelijk", CONFIDENTIAL, summary=f"Eerdere samenvatting {marker}."
    )
    data = ev.evidence_data_from_item(was_secret)
    ev.evidence_update(
        item=was_secret,
        data=replace(
            data,
            title="Nu openbaar rapport",
            summary="Openbare samenvatting.",
            confidentiality=PUBLIC,
        ),
    )
    canaries.append(
        Canary(
            "evidence-history",
            marker,
            "the earlier (confidential) title and summary of an item that is public now, in "
            "its change history",
            NOT_CONFIDENTIAL,
            pages=[reverse("evidence:detail", args=[was_secret.pk])],
        )
    )


def _indicators(anchors: dict[str, Any], canaries: list[Canary]) -> None:
    from paraat.assessments.tests.factories import observation_make
    from paraat.indicators import services as ind
    from paraat.indicators.tests.factories import IndicatorFactory

    domain = anchors["domains"][0]
    public = IndicatorFactory(
        key="leak-open-indicator", name_nl="Open indicator", domain=domain, threshold_alert=12.0
    )
    for month in (1, 2, 3):
        observation_make(public, 10.0 + month, month=month)
    anchors["indicator"] = public
    marker = new_marker("inc")
    secret = IndicatorFactory(
        key="leak-vertrouwelijke-indicator",
        name_nl=f"{marker} indicator",
        description=f"Omschrijving {marker}.",
        domain=domain,
        confidentiality=CONFIDENTIAL,
        threshold_alert=22.0,
    )
    for month in (1, 2, 3):
        observation_make(secret, 20.0 + month, month=month)
    # Both cross their alert threshold: a signal each (the digest mails them).
    for indicator in (public, secret):
        ind.signal_rule_create(indicator=indicator, kind="threshold")
    assert len(ind.signals_evaluate()) >= 2
    # A public composite index with the confidential indicator among its members, computed.
    index = ind.composite_index_save(
        key="leak-open-index",
        name_nl="Open index",
        start_period="2023MM01",
        members=[(public.key, 1.0), (secret.key, 1.0)],
        confidentiality=PUBLIC,
    )
    ind.composite_compute(index=index, draws=200)
    anchors["composite"] = index
    canaries.append(
        Canary(
            "indicator-confidential",
            marker,
            "a confidential indicator with figures and a signal, a member of a public "
            "composite index",
            NOT_CONFIDENTIAL,
            pages=[reverse("indicators:detail", args=[secret.key])],
            api=[f"/api/v1/indicators/{secret.key}/"],
            exports=["indicator-report"],
            mails=True,
        )
    )
    marker = new_marker("cic")
    secret_index = ind.composite_index_save(
        key="leak-vertrouwelijke-index",
        name_nl=f"{marker} index",
        description=f"Omschrijving {marker}.",
        start_period="2023MM01",
        members=[(public.key, 1.0)],
        confidentiality=CONFIDENTIAL,
    )
    canaries.append(
        Canary(
            "composite-confidential",
            marker,
            "a confidential composite index",
            NOT_CONFIDENTIAL,
            pages=[reverse("indicators:composite", args=[secret_index.key])],
            api=[f"/api/v1/composite-indices/{secret_index.key}/"],
        )
    )


def _assessments(users: dict[str, User], anchors: dict[str, Any], canaries: list[Canary]) -> None:
    from paraat.assessments import services as asv
    from paraat.assessments.tests.factories import AssessmentFactory, filled_assessment

    public = filled_assessment(
        key="leak-open-afweging",
        title="Open afweging",
        confidentiality=PUBLIC,
        domains=anchors["domains"],
        groups=anchors["groups"],
    )
    option = public.options.get(key="masks")
    marker = new_marker("efc")
    asv.effectiveness_set(
        actor=None,
        option=option,
        outcome="transmission",
        source=f"OMT-advies {marker}",
        estimate=0.2,
        note=f"Toelichting {marker}.",
        confidentiality=CONFIDENTIAL,
    )
    domain, group = anchors["domains"][0], anchors["groups"][0]
    asv.judgement_set(
        actor=None,
        option=option,
        domain_key=domain.key,
        group_key=group.key,
        effect="small_negative",
        certainty="moderate",
        evidence_refs=[
            anchors["evidence"].ref,
            anchors["secret_item"].ref,
            anchors["internal_item"].ref,
        ],
        rationale="Openbare toelichting.",
    )
    # An option made of the confidential measure and package (its name says nothing).
    asv.option_create(
        actor=users["cpo"],
        assessment=public,
        name="Derde optie",
        key="derde",
        package_key=anchors["secret_package"].key,
        measure_keys=[anchors["secret_measure"].key],
    )
    asv.assessment_update(actor=None, assessment=public, samples=200)
    asv.assessment_analyse(actor=None, assessment=public, samples=200, seed=7)
    anchors["assessment"] = public
    canaries.append(
        Canary(
            "effectiveness-confidential",
            marker,
            "the confidential (OMT) effectiveness of an option of a public assessment",
            NOT_CONFIDENTIAL,
            pages=[reverse("assessments:option", args=[public.key, option.key])],
            api=[f"/api/v1/assessments/{public.key}/document/"],
            exports=["assessment-report-md", "assessment-report-json", "assessment-report-html"],
        )
    )
    marker = new_marker("asc")
    secret = AssessmentFactory(
        key="leak-vertrouwelijke-afweging",
        title=f"{marker} vertrouwelijke afweging",
        question=f"Vraag {marker}?",
        confidentiality=CONFIDENTIAL,
        domains=anchors["domains"],
        groups=anchors["groups"],
    )
    canaries.append(
        Canary(
            "assessment-confidential",
            marker,
            "a confidential assessment",
            NOT_CONFIDENTIAL,
            pages=[reverse("assessments:detail", args=[secret.key])],
            api=[f"/api/v1/assessments/{secret.key}/"],
        )
    )
    anchors["secret_assessment"] = secret
    from paraat.jobs.services import job_create

    job = job_create(
        kind="assessment_report",
        title=f"Rapport afweging {secret.title}, versie 1 (PDF)",
        params={"key": secret.key},
        created_by=users["cpo"],
    )
    canaries[-1].pages.append(reverse("jobs:detail", args=[job.pk]))


def _advice(users: dict[str, User], anchors: dict[str, Any], canaries: list[Canary]) -> None:
    from paraat.advice import services as adv
    from paraat.advice.models import RecipientKind
    from paraat.advice.tests.factories import decided, input_make, request_make
    from paraat.exercises.tests.factories import run_make

    cpo, chair = users["cpo"], users["voorzitter"]
    people = {
        "cpo": cpo,
        "chair": chair,
        "members": [users["lid"], users["lid2"], users["lid3"]],
    }
    documents = {"pdf": ("advies.pdf", b"%PDF-1.4 leak test"), "docx": ("advies.docx", b"PK")}
    package = anchors["package"]

    # A published advice: the public register, pages and API have something to show.
    published = request_make(
        actor=cpo,
        title="Openbaar advies over scholen",
        key="leak-gepubliceerd",
        options=[package, anchors["secret_package"]],
    )
    decided(request=published, people=people)
    adv.advice_sign_off(request=published, actor=chair)
    adv.advice_dispatch(request=published, actor=chair, documents=documents)
    adv.advice_publish(request=published, actor=cpo)
    anchors["published_advice"] = published

    # A request in draft: its title, question and draft text are internal to the process.
    marker = new_marker("add")
    draft = request_make(
        actor=cpo,
        title=f"{marker} conceptadvies",
        question=f"Adviesvraag {marker}?",
        key="leak-concept",
        options=[package, anchors["secret_package"]],
        assessment=anchors["assessment"],
    )
    adv.information_item_add(
        request=draft,
        actor=cpo,
        title="Stuk uit het informatiepakket",
        evidence=anchors["secret_item"],
    )
    adv.advice_transition(request=draft, to="draft", actor=cpo)
    # The first version is the skeleton the CPO made from the dossier (the CPO sees the
    # confidential effectiveness and items; every member reads the skeleton).
    from paraat.advice import dossier

    adv.advice_revision_save(
        request=draft,
        sections=dossier.skeleton_for(request=draft, user=cpo),
        base_number=None,
        actor=cpo,
    )
    text_marker = new_marker("adt")
    adv.advice_revision_save(
        request=draft,
        sections={
            "summary": f"Concepttekst {text_marker}.",
            "advice": f"1. Aanbeveling {text_marker}.",
        },
        base_number=1,
        actor=cpo,
    )
    adv.omt_document_add(request=draft, actor=cpo, title="OMT-stuk", body="(zie omt-canary)")
    anchors["draft_advice"] = draft
    detail = reverse("advice:detail", args=[draft.key])
    canaries.append(
        Canary(
            "advice-draft",
            marker,
            "an advice request in draft: its title and question (the advice process only)",
            NOT_ADVICE_PROCESS,
            pages=[detail],
            api=[f"/api/v1/advice/requests/{draft.key}/"],
            exports=["advice-register-csv"],
            searchable=True,
            mails=True,
        )
    )
    canaries.append(
        Canary(
            "advice-draft-text",
            text_marker,
            "the draft text of an advice (those who may read drafts only; not SZW)",
            NOT_DRAFTS,
            pages=[reverse("advice:text", args=[draft.key])],
            api=[f"/api/v1/advice/requests/{draft.key}/revisions/2/"],
        )
    )
    marker = new_marker("omt")
    adv.omt_document_add(
        request=draft, actor=cpo, title=f"{marker} OMT-advies", body=f"Inhoud {marker}."
    )
    canaries.append(
        Canary(
            "omt-document",
            marker,
            "confidential OMT information of a request (readable only with a grant)",
            NOT_CONFIDENTIAL,
            pages=[reverse("advice:omt", args=[draft.key])],
        )
    )

    # A signed advice, sent, under embargo until next month.
    marker = new_marker("ade")
    embargo = request_make(
        actor=cpo,
        title=f"{marker} advies onder embargo",
        question=f"Vraag {marker}?",
        key="leak-embargo",
        options=[package],
    )
    adv.advice_revision_save(
        request=embargo,
        sections={
            "summary": f"Samenvatting {marker}.",
            "advice": f"1. Aanbeveling {marker}.",
            "reasoning": "Onderbouwing.",
        },
        base_number=None,
        actor=cpo,
    )
    _re_decide(embargo, people)
    adv.advice_sign_off(request=embargo, actor=chair)
    adv.advice_dispatch(
        request=embargo,
        actor=chair,
        documents=documents,
        embargo_until=timezone.now() + dt.timedelta(days=30),
    )
    anchors["embargo_advice"] = embargo
    canaries.append(
        Canary(
            "advice-embargo",
            marker,
            "an advice sent to the Secretary-General, under embargo until next month",
            NOT_ADVICE_PROCESS,
            pages=[reverse("advice:detail", args=[embargo.key])],
            api=[f"/api/v1/advice/requests/{embargo.key}/"],
            exports=["advice-register-csv", "yearly-report", "evaluation-export"],
            searchable=True,
            mails=True,
        )
    )

    # A confidential request, with a request for input to an outside practice circle.
    marker = new_marker("adc")
    secret = request_make(
        actor=cpo,
        title=f"{marker} vertrouwelijke aanvraag",
        question=f"Vertrouwelijke vraag {marker}?",
        key="leak-vertrouwelijk",
        options=[package],
        confidentiality=CONFIDENTIAL,
    )
    _row, token = input_make(request=secret, actor=cpo, question="Welke signalen ziet u?")
    anchors["secret_input_url"] = reverse("advice:input-respond", args=[token])
    # A member is asked for input and given a task on it (they may read drafts, not this
    # request): their pages must not name it.
    input_make(
        request=secret,
        actor=cpo,
        kind=RecipientKind.MEMBER,
        recipient=users["lid"],
        recipient_name="Lid",
        recipient_email=users["lid"].email,
        question="Wat ziet u?",
    )
    adv.assignment_create(request=secret, assignee=users["lid"], task="Meelezen", actor=cpo)
    anchors["secret_advice"] = secret
    canaries.append(
        Canary(
            "advice-confidential",
            marker,
            "a confidential advice request (with a request for input to a practice circle)",
            NOT_CONFIDENTIAL,
            pages=[reverse("advice:detail", args=[secret.key])],
            api=[f"/api/v1/advice/requests/{secret.key}/"],
            exports=["advice-register-csv"],
            searchable=True,
        )
    )

    # An exercise: its advice request runs the real process but stays out of real lists.
    marker = new_marker("adx")
    run = run_make(actor=cpo)
    exercise = request_make(
        actor=cpo,
        title=f"{marker} oefenaanvraag",
        question=f"Oefenvraag {marker}?",
        options=[package],
        exercise_run=run,
        key="leak-oefening",
    )
    anchors["exercise_run"], anchors["exercise_advice"] = run, exercise
    canaries.append(
        Canary(
            "advice-exercise",
            marker,
            "an advice request of an exercise run (exercise mode): never in a real list",
            NOT_ADVICE_PROCESS,
            pages=[
                reverse("exercises:run", args=[run.pk]),
                reverse("advice:detail", args=[exercise.key]),
            ],
            api=[f"/api/v1/advice/requests/{exercise.key}/"],
        )
    )


def _re_decide(request: Any, people: dict[str, Any]) -> None:
    """Vote again on the latest revision (after a text change) and close the round."""
    from paraat.advice import services as adv

    adv.advice_transition(request=request, to="final_draft", actor=people["cpo"])
    round_ = adv.decision_round_open(request=request, actor=people["cpo"])
    for voter in [people["chair"], *people["members"]]:
        adv.vote_cast(round_=round_, voter=voter, answers=[adv.Answer("agree")])
    adv.decision_round_close(round_=round_, actor=people["chair"])
    adv.advice_transition(request=request, to="alignment", actor=people["chair"])


def _network(users: dict[str, User], anchors: dict[str, Any], canaries: list[Canary]) -> None:
    from paraat.network import services as net
    from paraat.network.models import CommitteeRole

    cpo = users["cpo"]
    org = net.organisation_create(
        data=net.OrganisationData(name="Kennisinstituut (fictief)", abbreviation="KIF"),
        actor=cpo,
    )
    hexpart = uuid.uuid4().hex[:12]
    marker = f"CANARY-cnt-{hexpart}"  # no secret word: the address and number are needles
    phone = "+31 6 " + str(int(hexpart, 16) % 10**8).zfill(8)
    person = net.person_create(
        data=net.PersonData(
            name="Fictieve Deskundige",
            retention_until=timezone.localdate() + dt.timedelta(days=700),
            email=f"canary-cnt-{hexpart}@example.org",
            phone=phone,
            organisation=org,
            function_title="onderzoeker",
            consent_on=timezone.localdate() - dt.timedelta(days=30),
            consent_scope="commissie en praktijkkring (test)",
            is_fictional=True,
        ),
        actor=cpo,
    )
    net.membership_start(
        person=person,
        role=CommitteeRole.MEMBER,
        starts_on=timezone.localdate() - dt.timedelta(days=10),
        actor=cpo,
    )
    circle = net.practice_circle_create(
        data=net.CircleData(
            name="Praktijkkring onderwijs (fictief)",
            lead_organisation=org,
            response_hours=48,
            contact=person,
            groups=anchors["groups"][:1],
            contact_confirmed_on=timezone.localdate(),
            is_synthetic=True,
        ),
        actor=cpo,
    )
    anchors["person"], anchors["circle"], anchors["organisation"] = person, circle, org
    # The person is also asked for input in the advice process (name and address copied).
    from paraat.advice.models import RecipientKind
    from paraat.advice.tests.factories import input_make

    input_make(
        request=anchors["draft_advice"],
        actor=cpo,
        kind=RecipientKind.PRACTICE_CIRCLE,
        recipient_name=person.name,
        recipient_email=person.email,
        organisation=circle.name,
    )
    canaries.append(
        Canary(
            "contact-details",
            marker,
            "the work e-mail address and phone number of a person in the network (a committee "
            "member, the contact of a practice circle, asked for input)",
            NOT_CONFIDENTIAL,
            pages=[reverse("network:person", args=[person.pk])],
            api=[f"/api/v1/network/persons/{person.pk}/"],
            extra_needles=(phone, phone.replace(" ", "")),
        )
    )


def _panels(users: dict[str, User], anchors: dict[str, Any], canaries: list[Canary]) -> None:
    from paraat.panels import services as pan
    from paraat.panels.tests.factories import answers_for, panel_make, questionnaire_make

    cpo = users["cpo"]
    panel = panel_make(actor=cpo, name="Burgerpanel (fictief)")
    marker = new_marker("pnc")
    questionnaire = questionnaire_make(
        panel=panel,
        actor=cpo,
        title=f"{marker} vertrouwelijke vragenlijst",
        intro=f"Inleiding {marker}.",
        confidentiality=CONFIDENTIAL,
    )
    questions = list(questionnaire.questions.order_by("position"))
    for likert in ("4", "5", "2"):
        pan.response_store(
            questionnaire=questionnaire,
            answers=pan.answers_parse(
                questions=questions, data=answers_for(questionnaire, likert=likert)
            ),
        )
    item = pan.questionnaire_publish_evidence(questionnaire=questionnaire, actor=cpo)
    anchors["panel"], anchors["questionnaire"] = panel, questionnaire
    # A confidential dilemma session that offers its weights to the public assessment.
    session_marker = new_marker("pns")
    now = timezone.now()
    session = pan.session_create(
        panel=panel,
        data=pan.SessionData(
            title=f"{session_marker} vertrouwelijke sessie",
            intro=f"Dilemma {session_marker}.",
            kind="rank_domains",
            opens_at=now - dt.timedelta(days=3),
            closes_at=now - dt.timedelta(days=1),
            assessment=anchors["assessment"],
            domain_keys=tuple(d.key for d in anchors["domains"]),
            offer_weights=True,
            confidentiality=CONFIDENTIAL,
        ),
        actor=cpo,
    )
    keys = [d.key for d in anchors["domains"]]
    for ranking in (keys, keys[::-1], keys):
        pan.ballot_store(
            session=session, ballot=pan.ballot_parse(session=session, data={"ranking": ranking})
        )
    from paraat.assessments import services as asv
    from paraat.assessments.selectors import assessment_latest_version

    asv.weight_scenarios_refresh(
        actor=cpo, version=assessment_latest_version(assessment=anchors["assessment"])
    )
    canaries.append(
        Canary(
            "panel-result-confidential",
            marker,
            "a confidential citizen-panel questionnaire and its result in the library",
            NOT_CONFIDENTIAL,
            pages=[
                reverse("panels:questionnaire", args=[questionnaire.pk]),
                reverse("evidence:detail", args=[item.pk]),
            ],
            api=[f"/api/v1/panels/questionnaires/{questionnaire.pk}/"],
            exports=["evidence-csv", "evidence-api-export"],
            searchable=True,
            # The invitation names the questionnaire to the panelists asked to fill it in.
            outsiders_may_hear=True,
        )
    )
    canaries.append(
        Canary(
            "panel-session-confidential",
            session_marker,
            "a confidential dilemma session that offers its weights to a public assessment",
            NOT_CONFIDENTIAL,
            pages=[reverse("panels:session", args=[session.pk])],
            api=[f"/api/v1/panels/sessions/{session.pk}/"],
        )
    )


def _preparedness(users: dict[str, User], anchors: dict[str, Any], canaries: list[Canary]) -> None:
    from paraat.preparedness.tests.factories import meeting_make

    cpo = users["cpo"]
    anchors["meeting"] = meeting_make(actor=cpo, title="Open overleg (synthetisch)")
    marker = new_marker("mtc")
    secret = meeting_make(
        actor=cpo,
        title=f"{marker} vertrouwelijk overleg",
        agenda=[f"Agendapunt {marker}", "Rondvraag"],
        confidentiality=CONFIDENTIAL,
    )
    from paraat.preparedness import services as prep

    document = prep.meeting_document_add(
        meeting=secret,
        title="Vergaderstuk",
        content=f"Vergaderstuk {marker}.\n".encode(),
        file_name="stuk.txt",
        actor=cpo,
    )
    prep.minutes_save(meeting=secret, text=f"Verslag {marker}.", actor=cpo)
    canaries.append(
        Canary(
            "meeting-confidential",
            marker,
            "a confidential standby meeting and its agenda",
            NOT_CONFIDENTIAL,
            pages=[
                reverse("preparedness:meeting", args=[secret.pk]),
                reverse("preparedness:document", args=[secret.pk, document.pk]),
            ],
            api=[f"/api/v1/preparedness/meetings/{secret.pk}/"],
            exports=["yearly-report", "evaluation-export"],
        )
    )


def _activation(users: dict[str, User], anchors: dict[str, Any], canaries: list[Canary]) -> None:
    from paraat.activation.tests.factories import case_make

    cpo = users["cpo"]
    anchors["case"] = case_make(actor=cpo, title="Open activering (synthetisch)")
    marker = new_marker("acc")
    secret = case_make(
        actor=cpo,
        title=f"{marker} vertrouwelijke activering",
        description=f"Aanleiding {marker}.",
        confidentiality=CONFIDENTIAL,
    )
    canaries.append(
        Canary(
            "activation-confidential",
            marker,
            "a confidential activation case",
            NOT_CONFIDENTIAL,
            pages=[reverse("activation:detail", args=[secret.pk])],
            api=[f"/api/v1/activation/cases/{secret.pk}/"],
            exports=["yearly-report", "evaluation-export"],
        )
    )
