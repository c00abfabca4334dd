"""Every page of the citizen panel, activation and exercises, for every role and anonymous:
anonymous visitors go to the login page (the panel's answer link aside), roles without a
permission of the app get a 403 everywhere, only the roles allowed may post, and no page
answers with a 500 (security review of issue 7)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from paraat.accounts import roles
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.activation.tests import factories as activation_factories
from paraat.exercises.tests import factories as exercise_factories
from paraat.panels.tests import factories as panel_factories

pytestmark = pytest.mark.django_db

#: Roles without any permission of the app: every page is a 403 for them.
OUTSIDERS = {
    "panels": {roles.EXTERNAL_EXPERT, roles.CIRCLE_LEAD, roles.SZW_OFFICER, roles.ANALYST},
    "activation": {roles.EXTERNAL_EXPERT, roles.CIRCLE_LEAD, roles.ANALYST},
    "exercises": {roles.EXTERNAL_EXPERT, roles.CIRCLE_LEAD, roles.SZW_OFFICER, roles.ANALYST},
}
#: Who else may post where (the CPO may post everywhere); a read page that renders the same
#: on a post is no post.
POSTERS = {
    ("panels", "panelist_withdraw"): {roles.ADMIN},
    ("panels", "panelist_delete"): {roles.ADMIN},
    ("activation", "decision"): {roles.SZW_OFFICER},
}
_READ_ONLY = {("panels", "index"), ("panels", "panel"), ("panels", "answer")}


def _urls(objects: dict[str, Any]) -> list[tuple[str, str, str]]:
    out = []
    for app in ("panels", "activation", "exercises"):
        for pattern in import_module(f"paraat.{app}.urls").urlpatterns:
            kwargs: dict[str, Any] = {}
            for name in pattern.pattern.converters:
                kwargs[name] = objects[app].get(name, objects["default"].get(name, 1))
            if app == "panels" and str(pattern.name).startswith(("question", "questionnaire")):
                kwargs["pk"] = objects["questionnaire"]
            if app == "exercises" and "key" in kwargs and "pk" in kwargs:
                kwargs["pk"] = objects["inject"]
            out.append((app, str(pattern.name), reverse(f"{app}:{pattern.name}", kwargs=kwargs)))
    return out


def test_every_page_for_every_role(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    roles_sync()
    users = {role.key: UserFactory(username=role.key, roles=[role.key]) for role in roles.ROLES}
    cpo = users[roles.CPO]
    activation_factories.agreement_make(actor=cpo)
    case = activation_factories.case_make(actor=cpo)
    activation_factories.established(case, cpo=cpo, szw=users[roles.SZW_OFFICER])
    panel = panel_factories.panel_make(actor=cpo)
    questionnaire = panel_factories.questionnaire_make(actor=cpo, panel=panel)
    run = exercise_factories.run_make(actor=cpo)
    objects = {
        "panels": {"pk": panel.pk, "panelist_pk": panel.panelists.first().pk},  # type: ignore[union-attr]
        "activation": {"pk": case.pk},
        "exercises": {"pk": run.pk, "key": run.scenario.key},
        "questionnaire": questionnaire.pk,
        "inject": run.scenario.injects.first().pk,  # type: ignore[union-attr]
        "default": {"token": "x" * 43, "number": 1, "fmt": "pdf", "action": "start"},
    }
    problems = []
    for app, name, url in _urls(objects):
        for key in ["anonymous", *users]:
            client = Client()
            if key != "anonymous":
                client.force_login(users[key])
            got = client.get(url).status_code
            posted = client.post(url, {}).status_code
            if max(got, posted) >= 500:
                problems.append(f"{app}:{name} {key}: {got}/{posted}")
            elif key == "anonymous":
                expected = {404} if name == "answer" else {302}
                if {got, posted} != expected:
                    problems.append(f"{app}:{name} anonymous: {got}/{posted}")
            elif key in OUTSIDERS[app] and name != "answer":
                if got not in (403, 405) or posted != 403:
                    problems.append(f"{app}:{name} {key}: {got}/{posted}")
            elif (
                key != roles.CPO
                and key not in POSTERS.get((app, name), set())
                and (app, name) not in _READ_ONLY
                and posted not in (403, 404, 405)
                and not posted == got == 200  # a read page that ignores a post
            ):
                problems.append(f"{app}:{name} {key} may post: {posted}")
    assert problems == [], "\n".join(problems)
