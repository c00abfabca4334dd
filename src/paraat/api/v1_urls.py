from django.urls import path
from rest_framework.routers import DefaultRouter

from paraat.activation import api as activation_api
from paraat.advice import api as advice_api
from paraat.assessments import api as assessments_api
from paraat.evidence import api as evidence_api
from paraat.exercises import api as exercises_api
from paraat.indicators import api as indicators_api
from paraat.jobs import api as jobs_api
from paraat.measures import api as measures_api
from paraat.network import api as network_api
from paraat.panels import api as panels_api
from paraat.preparedness import api as preparedness_api

router = DefaultRouter()
router.register("measures", measures_api.MeasureViewSet, basename="measure")
router.register("packages", measures_api.PackageViewSet, basename="package")
router.register("jurisdictions", measures_api.JurisdictionViewSet, basename="jurisdiction")
router.register("jobs", jobs_api.JobViewSet, basename="job")
router.register("evidence", evidence_api.EvidenceViewSet, basename="evidence")
router.register("fiches", evidence_api.FicheViewSet, basename="fiche")
router.register("dossiers", evidence_api.DossierViewSet, basename="dossier")
router.register("indicators", indicators_api.IndicatorViewSet, basename="indicator")
router.register("signals", indicators_api.SignalViewSet, basename="signal")
router.register("assessments", assessments_api.AssessmentViewSet, basename="assessment")
router.register("composite-indices", indicators_api.CompositeViewSet, basename="composite-index")
router.register("advice/requests", advice_api.AdviceRequestViewSet, basename="advice-request")
router.register("advice/published", advice_api.PublishedAdviceViewSet, basename="advice-published")
# Issue 7: each app lists its own routes and paths (``ROUTES``, ``URLS`` in its api module).
_ISSUE7_APIS = (network_api, panels_api, preparedness_api, activation_api, exercises_api)
for _api in _ISSUE7_APIS:
    for _prefix, _viewset, _basename in _api.ROUTES:
        router.register(_prefix, _viewset, basename=_basename)

urlpatterns = [
    path(
        "timeline/netherlands/",
        measures_api.NetherlandsTimelineView.as_view(),
        name="timeline-netherlands",
    ),
    path(
        "advice/input/<str:token>/",
        advice_api.AdviceInputRespondView.as_view(),
        name="advice-input-respond",
    ),
    *(url for _api in _ISSUE7_APIS for url in _api.URLS),
    *router.urls,
]
