"""Property-based API test (issue 8): schemathesis against the published OpenAPI document.

Every operation in the committed ``docs/openapi.yaml`` (what is published, not what the code
would generate now) is called through the WSGI application with cases schemathesis generates:
valid data and data that breaks the schema, with path parameters taken from the demo data
(real keys and ids, found through the API's own list endpoints) as well as random ones. Each
response must

* never be a server error (``not_a_server_error``),
* have a status code the operation documents (``status_code_conformance``), and
* match the documented body and content type (``response_schema_conformance``,
  ``content_type_conformance``).

The run is authenticated as the CPO secretariat (token authentication; 2FA is switched off as
in the rest of the suite and tested elsewhere) and, for the public operations, anonymously.
Each operation is its own test with a bounded number of examples; all failures of one
operation are collected (no shrinking) and reported together, so one run names every defect.

``test_refusals_are_documented`` then calls every operation once as callers who are refused
more (anonymous, no role, committee member, external expert), so that the 401/403/404 answers
the CPO secretariat never gets are checked against the document as well. There are no expected
failures: a deviation is fixed at its source (see ``api.schema.ErrorAutoSchema`` for the
answers every operation documents).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

SCHEMA_FILE = Path(__file__).resolve().parents[4] / "docs" / "openapi.yaml"
MAX_EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_path(SCHEMA_FILE)
OPERATIONS = {op.label: op for op in (result.ok() for result in schema.get_all_operations())}
PUBLIC = sorted(
    label for label, op in OPERATIONS.items() if {} in op.definition.raw.get("security", [])
)

# --- demo data and real path parameters ----------------------------------------------------

_PARAM = re.compile(r"\{([^}]+)\}")


def _items(body: Any) -> list[dict[str, Any]]:
    if isinstance(body, dict):
        body = body.get("results", [])
    return [item for item in body if isinstance(item, dict)] if isinstance(body, list) else []


class RealKeys:
    """Real values for path parameters: ``/a/{key}/b/{id}/`` takes ``key`` from the items of
    ``/a/`` and ``id`` from those of ``/a/<key>/b/``, as the CPO secretariat sees them."""

    def __init__(self, client: Client, headers: dict[str, str], limit: int = 3) -> None:
        self.client = client
        self.headers = headers
        self.limit = limit
        self.cache: dict[str, list[str]] = {}

    def values(self, collection: str, name: str) -> list[str]:
        if collection not in self.cache:
            response = self.client.get(collection, headers=self.headers)
            found: list[str] = []
            if response.status_code == 200 and "json" in response.get("Content-Type", ""):
                for item in _items(response.json()):
                    for field in (name, "id", "key", "number"):
                        if item.get(field) not in (None, ""):
                            found.append(str(item[field]))
                            break
            self.cache[collection] = found[: self.limit]
        return self.cache[collection]

    def combinations(self, path: str) -> list[dict[str, str]]:
        combos: list[tuple[str, dict[str, str]]] = [("", {})]
        position = 0
        for match in _PARAM.finditer(path):
            name = match.group(1)
            literal = path[position : match.start()]
            position = match.end()
            grown = []
            for prefix, values in combos:
                collection = prefix + literal
                for value in self.values(collection, name):
                    grown.append((f"{collection}{value}", {**values, name: value}))
            combos = grown
        return [values for _prefix, values in combos]


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker: Any, shared_data: Path
) -> Iterator[dict[str, Any]]:
    """The demo data, a CPO secretariat user with an API token and the real path parameters,
    loaded once for the module in a transaction that is rolled back at its end (each test runs
    in a savepoint inside it)."""
    from rest_framework.authtoken.models import Token

    from paraat.accounts import roles
    from paraat.accounts.tests.factories import UserFactory
    from paraat.web.demo import demo_load

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_load(data_dir=shared_data)
            user = UserFactory(username="schemathesis-cpo", roles=[roles.CPO])
            headers = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
            keys = RealKeys(Client(), headers)
            real = {label: keys.combinations(op.path) for label, op in OPERATIONS.items()}
            callers = {"anonymous": {}}
            for name, role_keys in REFUSED_CALLERS.items():
                caller = UserFactory(username=f"schemathesis-{name}", roles=role_keys)
                callers[name] = {"Authorization": f"Token {Token.objects.create(user=caller).key}"}
            yield {"headers": headers, "real": real, "callers": callers}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- the run -------------------------------------------------------------------------------


def _strategy(label: str, real: list[dict[str, str]]) -> st.SearchStrategy[Any]:
    operation = OPERATIONS[label]
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    has_input = bool(operation.path_parameters or operation.query or operation.body)
    if has_input:
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
    for values in real:
        strategies.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=values))
        if operation.query or operation.body:
            strategies.append(
                operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=values)
            )
    return st.one_of(strategies)


def _run(label: str, world: dict[str, Any], *, anonymous: bool) -> None:
    from paraat.wsgi import application

    headers = {} if anonymous else world["headers"]
    failures: dict[str, str] = {}
    calls = 0

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(label, world["real"].get(label, [])))
    def check(case: Any) -> None:
        nonlocal calls
        case.headers = {
            name: value
            for name, value in (case.headers or {}).items()
            if name.lower() not in ("authorization", "cookie")
        }
        case.cookies = {}
        response = case.call(app=application, headers=headers)
        calls += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                key = f"{response.status_code} {type(failure).__name__}"
                failures.setdefault(key, f"{case.method} {case.formatted_path}\n{group}")

    # Requests go through the WSGI handler, whose request_started/finished signals close "old"
    # database connections: inside the test's transaction that would close the connection (on
    # PostgreSQL every later request is then a 503). Django's test client does the same.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        check()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert calls > 0
    assert not failures, f"{label}: " + "\n\n".join(
        f"[{key}]\n{text[:3000]}" for key, text in failures.items()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_operation_as_cpo(label: str, world: dict[str, Any]) -> None:
    _run(label, world, anonymous=False)


@pytest.mark.django_db
@pytest.mark.parametrize("label", PUBLIC)
def test_public_operation_anonymously(label: str, world: dict[str, Any]) -> None:
    _run(label, world, anonymous=True)


# --- callers who are refused ---------------------------------------------------------------

#: Callers besides the CPO secretariat (and besides anonymous): a logged-in user without any
#: role and the roles with the fewest permissions. Their refusals (401, 403, 404) must be
#: documented too, not only the answers the CPO secretariat happens to get.
REFUSED_CALLERS: dict[str, list[str]] = {
    "no-role": [],
    "member": ["commissielid"],
    "external-expert": ["externe-expert"],
}


def _refusal_case(label: str, world: dict[str, Any]) -> Any:
    """One call of the operation: real path parameters (or a placeholder that names nothing)
    and, when it takes a body, an empty JSON object, so that what decides the answer is who
    calls, not what is sent."""
    operation = OPERATIONS[label]
    real = world["real"].get(label) or [{}]
    path_parameters = {
        p.name: real[0].get(p.name, "1" if "id" in p.name or p.name == "item" else "x")
        for p in operation.path_parameters
    }
    kwargs: dict[str, Any] = {"path_parameters": path_parameters}
    if operation.body:
        media_types = [body.media_type for body in operation.body]
        kwargs["media_type"] = (
            "application/json" if "application/json" in media_types else media_types[0]
        )
        kwargs["body"] = {}
    return operation.Case(**kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_refusals_are_documented(label: str, world: dict[str, Any]) -> None:
    """Each operation called anonymously and by the callers of ``REFUSED_CALLERS``: whatever
    it answers (a refusal, or the data such a caller may see) is documented, never a 500."""
    from paraat.wsgi import application

    failures = []
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        for caller, headers in world["callers"].items():
            case = _refusal_case(label, world)
            response = case.call(app=application, headers=headers)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as group:
                failures.append(f"[{caller}: {response.status_code}]\n{str(group)[:2000]}")
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert not failures, f"{label}: " + "\n\n".join(failures)
