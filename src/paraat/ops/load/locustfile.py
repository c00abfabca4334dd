"""The load scenario of issue 8 ("Load and faults") for locust.

    locust -f src/paraat/ops/load/locustfile.py --headless -u 200 -r 20 -t 10m \
        --host http://127.0.0.1:8001

with ``PARAAT_LOADTEST_MANIFEST`` naming the manifest of ``paraat loadtest setup`` and
``PARAAT_LOADTEST_RESULTS`` the JSON file this writes when the test stops (``paraat bench
load`` does all of it).  Over plain http the stack must run with ``PARAAT_SECURE_COOKIES=0``:
a client does not send secure cookies over http.

Four kinds of simulated people, with waits of people reading and typing:

* **PublicReader** (most users, no account): the societal picture (``/maatschappelijk-beeld/``),
  the published advice (``/adviezen/``) and one published advice;
* **Secretariat** (logs in through the login form; the API with its token): edits the draft
  advice text — reads the latest version, types for a few seconds, appends a line with a unique
  marker to one of three sections and saves with that version as the base.  Two saves of one
  section from the same base collide: the site answers 409 and saves nothing; the editor
  re-reads and saves again (a *conflict*, counted, never a failure);
* **Member** (login form; the API with the session and its CSRF token): opens each decision
  round's page and casts one vote per open round; now and then tries a second vote, which the
  site must refuse (votes are immutable); then reads the rounds;
* **Importer** (login form): uploads a small RIS or CSV file through the import page, over and
  over, and follows the job's progress as the page does.

Every request is named ``public: …``, ``auth: …`` or ``login: …``; the response times are
kept per group.  Every acknowledged write is recorded (a text save's 201 with its version,
base, section and marker; a vote's 201; an accepted upload with its rows and job), and
written with the figures to the results file for ``paraat loadtest verify``.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import random
import re
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

from paraat.ops.load.plan import totp

LOGIN = "/accounts/inloggen/"
CODE = "/accounts/inloggen/code/"
EDIT_SECTIONS = ("reasoning", "groups", "mitigation")
SAVE_TRIES = 8
JOB_WAIT_S = 120
ERROR_SAMPLES = 20


def _manifest() -> dict[str, Any]:
    path = os.environ.get("PARAAT_LOADTEST_MANIFEST", "")
    if not path:
        raise RuntimeError(
            "set PARAAT_LOADTEST_MANIFEST to the manifest of `paraat loadtest setup`"
        )
    return dict(json.loads(Path(path).read_text(encoding="utf-8")))


MANIFEST = _manifest()
PLAN = MANIFEST["plan"]


# --- what the users saw ------------------------------------------------------------------------


class Results:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.by_name: dict[str, list[float]] = defaultdict(list)
        self.requests = 0
        self.errors = 0
        self.error_samples: list[str] = []
        self.revisions: list[dict[str, Any]] = []
        self.revision_post_failures = 0
        self.revisions_unchanged = 0
        self.conflicts = 0
        self.votes: list[dict[str, str]] = []
        self.vote_post_failures = 0
        self.second_votes_refused = 0
        self.second_votes_accepted = 0
        self.imports: list[dict[str, Any]] = []
        self.import_jobs: dict[str, str] = {}
        self.started = time.time()

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "errors": self.errors,
            "error_samples": self.error_samples,
            "duration_s": round(time.time() - self.started, 1),
            "latency": {group: _summary(values) for group, values in sorted(self.times.items())},
            "latency_by_name": {
                name: _summary(values) for name, values in sorted(self.by_name.items())
            },
            "revisions": self.revisions,
            "revision_post_failures": self.revision_post_failures,
            "revisions_unchanged": self.revisions_unchanged,
            "conflicts": self.conflicts,
            "votes": self.votes,
            "vote_post_failures": self.vote_post_failures,
            "second_votes_refused": self.second_votes_refused,
            "second_votes_accepted": self.second_votes_accepted,
            "imports": [
                {**upload, "status_seen": self.import_jobs.get(upload["job"], "")}
                for upload in self.imports
            ],
        }


def _percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least ``share`` of the values at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _summary(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"count": 0}
    return {
        "count": len(values),
        "p50_ms": round(_percentile(values, 0.50), 1),
        "p95_ms": round(_percentile(values, 0.95), 1),
        "p99_ms": round(_percentile(values, 0.99), 1),
        "max_ms": round(max(values), 1),
    }


RESULTS = Results()


@events.test_start.add_listener
def _on_test_start(environment: Any, **_kwargs: Any) -> None:
    RESULTS.started = time.time()


@events.request.add_listener
def _on_request(
    request_type: str,
    name: str,
    response_time: float,
    response_length: int,
    exception: Exception | None = None,
    **_kwargs: Any,
) -> None:
    group = name.split(":", 1)[0] if ":" in name else "other"
    RESULTS.requests += 1
    RESULTS.times[group].append(response_time)
    RESULTS.by_name[name].append(response_time)
    if exception is not None:
        RESULTS.errors += 1
        if len(RESULTS.error_samples) < ERROR_SAMPLES:
            RESULTS.error_samples.append(f"{request_type} {name}: {exception}"[:300])


@events.test_stop.add_listener
def _on_test_stop(environment: Any, **_kwargs: Any) -> None:
    path = os.environ.get("PARAAT_LOADTEST_RESULTS", "")
    if path:
        Path(path).write_text(json.dumps(RESULTS.as_dict()), encoding="utf-8")


# --- accounts ----------------------------------------------------------------------------------

_claimed: dict[str, itertools.count[int]] = defaultdict(itertools.count)


def _claim(kind: str) -> dict[str, str] | None:
    """The next unused account of ``kind`` (one simulated person per account)."""
    index = next(_claimed[kind])
    accounts = MANIFEST[kind]
    return accounts[index] if index < len(accounts) else None


class _Person(HttpUser):
    """A user with an account: logs in through the login form (CSRF token from its cookie)."""

    abstract = True
    kind = ""
    account: dict[str, str] | None = None

    def on_start(self) -> None:
        self.account = _claim(self.kind)
        if self.account is None:
            raise RuntimeError(f"no {self.kind} account left (setup made too few)")
        self.client.get(LOGIN, name="login: form")
        with self.client.post(
            LOGIN,
            data={
                "username": self.account["username"],
                "password": MANIFEST["password"],
                "csrfmiddlewaretoken": self.csrf(),
            },
            headers={"Referer": f"{self.host}{LOGIN}"},
            allow_redirects=False,
            name="login: password",
            catch_response=True,
        ) as response:
            if response.status_code == 302 and CODE in response.headers.get("Location", ""):
                response.success()
            else:
                response.failure(f"login failed: {response.status_code}")
                return
        self.second_step()

    def second_step(self) -> None:
        """The code from the authenticator app (a code already used in this time step is
        refused: then the next one, as a person would)."""
        assert self.account is not None
        self.client.get(CODE, name="login: code form")
        for _ in range(2):
            with self.client.post(
                CODE,
                data={
                    "code": totp(self.account["totp_key"], at=time.time()),
                    "csrfmiddlewaretoken": self.csrf(),
                },
                headers={"Referer": f"{self.host}{CODE}"},
                allow_redirects=False,
                name="login: code",
                catch_response=True,
            ) as response:
                target = response.headers.get("Location", "")
                if response.status_code == 302 and LOGIN not in target:
                    response.success()
                    return
                if response.status_code == 200:
                    response.success()  # refused; retried below, judged there
                    time.sleep(30 - time.time() % 30 + 1)
                    continue
                response.failure(f"code step: {response.status_code} {target}")
                return
        with self.client.get(CODE, name="login: code", catch_response=True) as response:
            response.failure("the code was refused twice")

    def csrf(self) -> str:
        return str(self.client.cookies.get("csrftoken", ""))

    def page(self, path: str, name: str) -> Any:
        """A page that must answer 200 itself (a redirect to the login page is a failure)."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            return response


# --- the public --------------------------------------------------------------------------------


class PublicReader(HttpUser):
    """Reads the societal picture and the published advice."""

    weight = 1
    wait_time = between(2, 8)

    def get(self, path: str, name: str) -> None:
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")

    @task(4)
    def dashboard(self) -> None:
        self.get("/maatschappelijk-beeld/", "public: /maatschappelijk-beeld/")

    @task(2)
    def advice_list(self) -> None:
        self.get("/adviezen/", "public: /adviezen/")

    @task(3)
    def advice_page(self) -> None:
        key = random.choice(MANIFEST["published"])
        self.get(f"/adviezen/{key}/", "public: /adviezen/<key>/")


# --- the secretariat ----------------------------------------------------------------------------


class Secretariat(_Person):
    """Edits the draft advice text through the API with its base version."""

    kind = "secretariat"
    fixed_count = int(PLAN["secretariat"])
    wait_time = between(4, 12)

    def on_start(self) -> None:
        super().on_start()
        self.saves = 0
        self.api = f"/api/v1/advice/requests/{MANIFEST['draft']}/revisions/"

    def headers(self) -> dict[str, str]:
        assert self.account is not None
        return {"Authorization": f"Token {self.account['token']}"}

    def latest(self) -> tuple[int, dict[str, str]] | None:
        with self.client.get(
            self.api, headers=self.headers(), name="auth: api revisions", catch_response=True
        ) as response:
            if response.status_code != 200 or not response.json():
                response.failure(f"status {response.status_code}")
                return None
            number = int(response.json()[-1]["number"])
        return number, self.revision(number)

    def revision(self, number: int) -> dict[str, str]:
        response = self.client.get(
            f"{self.api}{number}/", headers=self.headers(), name="auth: api revision"
        )
        return dict(response.json()["sections"]) if response.status_code == 200 else {}

    @task(5)
    def edit(self) -> None:
        self.page(f"/adviesproces/{MANIFEST['draft']}/tekst/", "auth: text page")
        found = self.latest()
        if found is None:
            return
        base, sections = found
        section = random.choice(EDIT_SECTIONS)
        assert self.account is not None
        self.saves += 1
        marker = f"[lt:{self.account['username']}:{self.saves}]"
        time.sleep(random.uniform(1, 4))  # typing
        for _ in range(SAVE_TRIES):
            mine = {**sections, section: (sections.get(section, "") + "\n" + marker).strip()}
            with self.client.post(
                self.api,
                json={"sections": mine, "base_number": base, "note": "belastingtest"},
                headers=self.headers(),
                name="auth: api save revision",
                catch_response=True,
            ) as response:
                if response.status_code == 201:
                    response.success()
                    RESULTS.revisions.append(
                        {
                            "number": int(response.json()["number"]),
                            "base": base,
                            "section": section,
                            "marker": marker,
                        }
                    )
                    return
                if response.status_code == 409:
                    response.success()  # detected, nothing saved: re-read and save again
                    RESULTS.conflicts += 1
                    base = int(response.json()["latest"])
                    sections = self.revision(base)
                    if not sections:
                        return
                    continue
                if response.status_code == 200:
                    RESULTS.revisions_unchanged += 1
                    response.failure("saved nothing although the text changed")
                else:
                    RESULTS.revision_post_failures += 1
                    response.failure(f"status {response.status_code}")
                return
        RESULTS.revision_post_failures += 1

    @task(1)
    def register(self) -> None:
        self.page("/adviesproces/", "auth: advice list page")

    @task(1)
    def versions(self) -> None:
        self.page(f"/adviesproces/{MANIFEST['draft']}/versies/", "auth: versions page")


# --- the members -------------------------------------------------------------------------------


class Member(_Person):
    """One vote per open decision round; a second one must be refused."""

    kind = "members"
    fixed_count = int(PLAN["members"])
    wait_time = between(3, 12)

    def on_start(self) -> None:
        super().on_start()
        self.pending = list(MANIFEST["rounds"])
        random.shuffle(self.pending)

    def post_vote(self, key: str, choice: str, name: str) -> Any:
        answer = {"choice": choice, "reason": "Belastingtest (fictief)."}
        return self.client.post(
            f"/api/v1/advice/requests/{key}/rounds/current/vote/",
            json={"answers": [answer]},
            headers={"X-CSRFToken": self.csrf(), "Referer": f"{self.host}/adviesproces/{key}/"},
            name=name,
            catch_response=True,
        )

    @task(3)
    def vote(self) -> None:
        if not self.pending:
            self.read()
            return
        key = self.pending.pop()
        self.page(f"/adviesproces/{key}/stemming/", "auth: vote page")
        time.sleep(random.uniform(1, 5))  # reading the text
        choice = random.choice(["agree", "agree", "agree", "abstain", "disagree"])
        assert self.account is not None
        with self.post_vote(key, choice, "auth: api vote") as response:
            if response.status_code == 201:
                response.success()
                RESULTS.votes.append({"round": key, "voter": self.account["username"]})
            else:
                RESULTS.vote_post_failures += 1
                response.failure(f"status {response.status_code}: {response.text[:200]}")
                return
        if random.random() < 0.3:
            with self.post_vote(key, "abstain", "auth: api second vote") as response:
                if response.status_code == 400:
                    response.success()  # refused, as it must be
                    RESULTS.second_votes_refused += 1
                elif response.status_code == 201:
                    RESULTS.second_votes_accepted += 1
                    response.failure("a second vote was accepted")
                else:
                    response.failure(f"status {response.status_code}")

    @task(2)
    def read(self) -> None:
        key = random.choice(MANIFEST["rounds"])
        with self.client.get(
            f"/api/v1/advice/requests/{key}/rounds/current/",
            name="auth: api round",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
        self.page(f"/adviesproces/{key}/", "auth: request page")


# --- the importers ------------------------------------------------------------------------------

_JOB = re.compile(r"/taken/([0-9a-f-]{36})/")


def reference_file(fmt: str, tag: str, rows: int) -> bytes:
    """``rows`` fictional references, each with its own title and DOI (all new items)."""
    if fmt == "ris":
        records = [
            f"TY  - RPRT\nTI  - Belastingtest bron {tag} nummer {n} (synthetisch)\n"
            f"AU  - Fictief, Auteur {n}\nPY  - 2024\nDO  - 10.99999/loadtest.{tag}.{n}\nER  - \n"
            for n in range(1, rows + 1)
        ]
        return "\n".join(records).encode()
    lines = ["item_type,title,published_on,doi,knowledge_class"]
    lines += [
        f"report,Belastingtest bron {tag} nummer {n} (synthetisch),2024-01-{n:02d},"
        f"10.99999/loadtest.{tag}.{n},scientific"
        for n in range(1, rows + 1)
    ]
    return ("\n".join(lines) + "\n").encode()


class Importer(_Person):
    """Imports small reference files through the import page, repeatedly."""

    kind = "importers"
    fixed_count = int(PLAN["importers"])
    wait_time = between(10, 30)

    @task
    def upload(self) -> None:
        self.page("/kennisbibliotheek/import/", "auth: import page")
        fmt = random.choice(["ris", "csv"])
        rows = random.randint(3, 8)
        tag = uuid.uuid4().hex[:12]
        name = f"loadtest-{tag}.{fmt}"
        with self.client.post(
            "/kennisbibliotheek/import/",
            data={
                "csrfmiddlewaretoken": self.csrf(),
                "file_format": fmt,
                "confidentiality": "internal",
            },
            files={"file": (name, reference_file(fmt, tag, rows), "text/plain")},
            headers={"Referer": f"{self.host}/kennisbibliotheek/import/"},
            allow_redirects=False,
            name="auth: import upload",
            catch_response=True,
        ) as response:
            found = _JOB.search(response.headers.get("Location", ""))
            if response.status_code != 302 or found is None:
                response.failure(f"status {response.status_code}")
                return
            job = found.group(1)
        RESULTS.imports.append({"file": name, "rows": rows, "job": job, "format": fmt})
        deadline = time.monotonic() + JOB_WAIT_S
        while time.monotonic() < deadline:
            time.sleep(1)
            with self.client.get(
                f"/taken/{job}/status/", name="auth: job status", catch_response=True
            ) as status:
                if status.status_code != 200:
                    status.failure(f"status {status.status_code}")
                    return
                state = status.json()
                if state.get("finished"):
                    RESULTS.import_jobs[job] = str(state.get("status"))
                    if state.get("status") != "succeeded":
                        status.failure(f"import {state.get('status')}: {state.get('error')}")
                    return
