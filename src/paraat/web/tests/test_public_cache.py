"""The shared cache: public page parts (paraat.web.public_cache), the CACHES setting from
PARAAT_CACHE_URL (paraat.conf.cache), rate limits shared through Redis, and the client's
address behind proxies (paraat.web.client_ip)."""

from __future__ import annotations

import socket
import uuid
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from rest_framework.test import APIClient

from paraat.accounts import roles
from paraat.accounts.models import Confidentiality
from paraat.accounts.services import roles_sync
from paraat.accounts.tests.factories import UserFactory
from paraat.conf.cache import build_caches
from paraat.indicators import dashboard as board
from paraat.indicators.tests.factories import IndicatorFactory
from paraat.jobs.services import job_create, job_succeed
from paraat.taxonomies.tests.factories import DomainFactory
from paraat.web import public_cache
from paraat.web.client_ip import client_ip

DASHBOARD = "/maatschappelijk-beeld/"
LOCAL = {"PARAAT_PUBLIC_CACHE_LOCAL": True, "PARAAT_PUBLIC_CACHE_SECONDS": 120}


@pytest.fixture
def fresh_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public_indicator(db):  # type: ignore[no-untyped-def]
    marker = f"Openbaar-{uuid.uuid4().hex[:10]}"
    domain = DomainFactory(key="werk-en-inkomen", name_nl="Werk en inkomen")
    return IndicatorFactory(key="werkloosheid", name_nl=marker, name_en=marker, domain=domain)


def _count_dashboards() -> Any:
    return mock.patch.object(board, "dashboard", wraps=board.dashboard)


# --- public page parts -----------------------------------------------------------------------


@override_settings(**LOCAL)
@pytest.mark.django_db
def test_the_public_picture_is_rendered_once_and_served_to_every_visitor(
    client, fresh_cache, public_indicator
) -> None:  # type: ignore[no-untyped-def]
    with _count_dashboards() as built:
        first = client.get(DASHBOARD)
        second = client.get(DASHBOARD)
    assert first.status_code == second.status_code == 200
    assert public_indicator.name_nl in first.content.decode()
    assert built.call_count == 1
    # the rest of the page is the visitor's own: the language switch carries a fresh token
    assert 'name="csrfmiddlewaretoken"' in second.content.decode()


@override_settings(**LOCAL)
@pytest.mark.django_db
def test_logged_in_readers_and_dated_pictures_are_never_kept(
    client, fresh_cache, public_indicator
) -> None:  # type: ignore[no-untyped-def]
    roles_sync()
    client.force_login(UserFactory(username="cpo", roles=[roles.CPO]))
    with _count_dashboards() as built:
        client.get(DASHBOARD)
        client.get(DASHBOARD)
    assert built.call_count == 2
    client.logout()
    with _count_dashboards() as built:
        client.get(DASHBOARD + "?peildatum=2021-01-01")
        client.get(DASHBOARD + "?peildatum=2021-01-01")
    assert built.call_count == 2


@override_settings(**LOCAL)
@pytest.mark.django_db
def test_a_confidentiality_raised_through_the_site_leaves_the_public_page_at_once(
    client, fresh_cache, public_indicator
) -> None:  # type: ignore[no-untyped-def]
    assert public_indicator.name_nl in client.get(DASHBOARD).content.decode()
    roles_sync()
    admin = UserFactory(username="beheer", roles=[roles.ADMIN])
    staff = APIClient()
    staff.force_login(admin)
    before = cache.get(public_cache.GENERATION_KEY)
    # any change made through the site renews the parts (here the indicator's edit page)
    edit = f"/maatschappelijk-beeld/beheer/indicatoren/{public_indicator.key}/bewerken/"
    page = staff.get(edit)
    assert page.status_code == 200
    form = {
        **{k: v for k, v in page.context["form"].initial.items() if v is not None},
        "confidentiality": Confidentiality.CONFIDENTIAL,
    }
    form["domain"] = public_indicator.domain.key
    response = staff.post(edit, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    public_indicator.refresh_from_db()
    assert public_indicator.confidentiality == Confidentiality.CONFIDENTIAL
    assert cache.get(public_cache.GENERATION_KEY) not in {None, before}
    assert public_indicator.name_nl not in client.get(DASHBOARD).content.decode()


@override_settings(**LOCAL)
@pytest.mark.django_db
def test_a_refused_change_keeps_the_parts(client, fresh_cache, public_indicator) -> None:  # type: ignore[no-untyped-def]
    client.get(DASHBOARD)
    before = cache.get(public_cache.GENERATION_KEY)
    assert client.post("/accounts/inloggen/", {"username": "x", "password": "y"}).status_code in {
        200,
        403,
        429,
    }
    assert cache.get(public_cache.GENERATION_KEY) == before


@override_settings(**LOCAL)
@pytest.mark.django_db
def test_a_generation_lost_to_eviction_never_brings_old_parts_back(fresh_cache) -> None:  # type: ignore[no-untyped-def]
    with override_settings(**LOCAL):
        public_cache.public_fragment(name="t", parts=(), render=lambda: "old")
        cache.delete(public_cache.GENERATION_KEY)  # evicted, or Redis restarted
        assert public_cache.public_fragment(name="t", parts=(), render=lambda: "new") == "new"


@override_settings(**LOCAL)
@pytest.mark.django_db
def test_a_failed_task_renews_the_parts_too(
    fresh_cache, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from paraat.jobs.services import job_fail

    public_cache.public_fragment(name="t", parts=(), render=lambda: "old")
    job = job_create(kind="test", title="t", params={}, created_by=None)
    with django_capture_on_commit_callbacks(execute=True):
        job_fail(job=job, error="half-way")
    assert public_cache.public_fragment(name="t", parts=(), render=lambda: "new") == "new"


@override_settings(**LOCAL)
@pytest.mark.django_db
def test_a_finished_task_renews_the_parts(fresh_cache, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    rendered: list[str] = []

    def render() -> str:
        rendered.append("x")
        return f"<p>{len(rendered)}</p>"

    assert public_cache.public_fragment(name="t", parts=(), render=render) == "<p>1</p>"
    assert public_cache.public_fragment(name="t", parts=(), render=render) == "<p>1</p>"
    job = job_create(kind="test", title="t", params={}, created_by=None)
    with django_capture_on_commit_callbacks(execute=True):
        job_succeed(job=job, result={})
    assert public_cache.public_fragment(name="t", parts=(), render=render) == "<p>2</p>"


@override_settings(**LOCAL)
def test_parts_are_kept_per_language_and_parts(fresh_cache) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    def fragment(parts: tuple[str, ...]) -> str:
        return public_cache.public_fragment(
            name="t", parts=parts, render=lambda: translation.get_language() + "".join(parts)
        )

    with translation.override("nl"):
        assert fragment(("a",)) == "nla" and fragment(("b",)) == "nlb"
    with translation.override("en"):
        assert fragment(("a",)) == "ena"


def test_without_a_shared_cache_nothing_is_kept(fresh_cache) -> None:  # type: ignore[no-untyped-def]
    # the suite's memory cache is per process; parts are kept only when told it is the only one
    calls: list[int] = []
    for _ in range(2):
        public_cache.public_fragment(name="t", parts=(), render=lambda: str(calls.append(1)))
    assert len(calls) == 2


class _BrokenCache(LocMemCache):
    def get(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache down")

    def set(self, *args: Any, **kwargs: Any) -> None:
        raise ConnectionError("cache down")

    def add(self, *args: Any, **kwargs: Any) -> bool:
        raise ConnectionError("cache down")

    def incr(self, *args: Any, **kwargs: Any) -> int:
        raise ConnectionError("cache down")


@override_settings(
    **LOCAL,
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "broken",
        }
    },
)
@pytest.mark.django_db
def test_a_cache_that_is_down_is_passed_by(client, public_indicator, caplog) -> None:  # type: ignore[no-untyped-def]
    backend = caches["default"].__class__
    with mock.patch.object(backend, "get", _BrokenCache.get):
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert public_indicator.name_nl in response.content.decode()
    assert "public cache: unreachable" in caplog.text
    with mock.patch.object(backend, "set", _BrokenCache.set):
        public_cache.public_cache_renew()  # logs, never raises
    assert "could not start a new generation" in caplog.text


@pytest.mark.django_db
def test_the_api_goes_on_when_its_rate_limit_cache_is_down(caplog) -> None:  # type: ignore[no-untyped-def]
    from rest_framework.request import Request
    from rest_framework.views import APIView

    from paraat.api.throttling import AnonThrottle

    throttle = AnonThrottle()
    throttle.rate = "1/minute"
    throttle.num_requests, throttle.duration = throttle.parse_rate("1/minute")
    request = Request(RequestFactory().get("/api/v1/measures/", REMOTE_ADDR="192.0.2.9"))
    with mock.patch.object(caches["default"].__class__, "get", _BrokenCache.get):
        assert throttle.allow_request(request, APIView())
        assert throttle.allow_request(request, APIView())  # no count kept: let through
    assert "the cache cannot be reached" in caplog.text


def test_the_api_rate_limit_knows_the_client_by_the_login_throttles_rule() -> None:
    from paraat.api.throttling import AnonThrottle

    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7"
    )
    with override_settings(PARAAT_PROXY_COUNT=1):
        assert AnonThrottle().get_ident(request) == "203.0.113.7"
    with override_settings(PARAAT_PROXY_COUNT=0):
        assert AnonThrottle().get_ident(request) == "10.0.0.9"


# --- CACHES from PARAAT_CACHE_URL ------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache"),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache"),
        ("redis://localhost:6379/0", "django.core.cache.backends.redis.RedisCache"),
        ("rediss://cache.example:6380/2", "django.core.cache.backends.redis.RedisCache"),
        ("unix:///run/redis.sock?db=1", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_the_cache_address_chooses_the_backend(url: str, backend: str) -> None:
    caches_setting = build_caches(url)
    assert caches_setting["default"]["BACKEND"] == backend
    assert caches_setting["default"]["KEY_PREFIX"] == "paraat"
    if "Redis" in backend:
        assert caches_setting["default"]["LOCATION"] == url


def test_each_installation_has_its_own_key_prefix(settings) -> None:
    # derived from the secret key unless PARAAT_CACHE_KEY_PREFIX says otherwise
    import hashlib

    expected = "paraat-" + hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest()[:12]
    assert settings.CACHES["default"]["KEY_PREFIX"] == expected


@pytest.mark.parametrize("url", ["memcached://localhost:11211", "file:///tmp/x", "nonsense"])
def test_an_unknown_cache_address_is_refused_by_name(url: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="PARAAT_CACHE_URL"):
        build_caches(url)


def _redis_url() -> str:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            pass
    except OSError:
        pytest.skip("Redis is not running on localhost:6379 (production uses PARAAT_CACHE_URL)")
    pytest.importorskip("redis", reason="the redis client is not installed")
    return "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_caches():  # type: ignore[no-untyped-def]
    url = _redis_url()
    setting = build_caches(url, key_prefix=f"paraat-test-{uuid.uuid4().hex[:8]}")
    with override_settings(CACHES=setting, **{"PARAAT_PUBLIC_CACHE_SECONDS": 120}):
        caches["default"].clear()
        yield setting
        caches["default"].clear()


@pytest.mark.django_db
def test_with_redis_a_renewal_reaches_every_process(redis_caches) -> None:  # type: ignore[no-untyped-def]
    # a second, separate connection stands for another worker process
    other = caches.create_connection("default")
    rendered: list[int] = []

    def render() -> str:
        rendered.append(1)
        return "x"

    public_cache.public_fragment(name="t", parts=(), render=render)
    public_cache.public_fragment(name="t", parts=(), render=render)
    assert len(rendered) == 1  # kept, without PARAAT_PUBLIC_CACHE_LOCAL: Redis is shared
    generation = other.get(public_cache.GENERATION_KEY)
    public_cache.public_cache_renew()
    assert other.get(public_cache.GENERATION_KEY) not in {None, generation}
    public_cache.public_fragment(name="t", parts=(), render=render)
    assert len(rendered) == 2


def test_with_redis_the_api_rate_limit_holds_across_processes(redis_caches) -> None:  # type: ignore[no-untyped-def]
    from rest_framework.request import Request
    from rest_framework.views import APIView

    from paraat.api.throttling import AnonThrottle

    class ThreePerMinute(AnonThrottle):
        rate = "3/minute"

    # two workers, each with its own connection to the shared cache
    workers = [caches.create_connection("default"), caches.create_connection("default")]
    request = Request(RequestFactory().get("/api/v1/measures/", REMOTE_ADDR="192.0.2.44"))
    answers = []
    for turn in range(4):
        throttle = ThreePerMinute()
        throttle.cache = workers[turn % 2]
        answers.append(throttle.allow_request(request, APIView()))
    # 3 requests allowed in all, not 3 per worker
    assert answers == [True, True, True, False]


# --- the client's address --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "", "10.0.0.9"),
        (0, "203.0.113.7", "10.0.0.9"),  # no proxy: the header is the client's own claim
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the left one is the client's claim
        (2, "198.51.100.1, 203.0.113.7", "198.51.100.1"),
        (3, "203.0.113.7", "203.0.113.7"),  # fewer hops than proxies: the leftmost there is
        (1, "", "10.0.0.9"),
        (1, "not-an-address", "10.0.0.9"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
        (1, "203.0.113.7:4711", "203.0.113.7"),  # a proxy that writes the port too
        (1, "[2001:db8::1]:443", "2001:db8::1"),
    ],
)
def test_the_client_address_behind_proxies(count: int, forwarded: str, expected: str) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(PARAAT_PROXY_COUNT=count):
        assert client_ip(request) == expected


def test_the_login_throttle_reads_the_same_address() -> None:
    from axes.helpers import get_client_ip_address

    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7"
    )
    with override_settings(PARAAT_PROXY_COUNT=1):
        assert get_client_ip_address(request) == "203.0.113.7"
