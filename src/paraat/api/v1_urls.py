from django.urls import path
from rest_framework.routers import DefaultRouter

from paraat.jobs import api as jobs_api
from paraat.measures import api as measures_api

router = DefaultRouter()
router.register("measures", measures_api.MeasureViewSet, basename="measure")
router.register("packages", measures_api.PackageViewSet, basename="package")
router.register("jurisdictions", measures_api.JurisdictionViewSet, basename="jurisdiction")
router.register("jobs", jobs_api.JobViewSet, basename="job")

urlpatterns = [
    path(
        "timeline/netherlands/",
        measures_api.NetherlandsTimelineView.as_view(),
        name="timeline-netherlands",
    ),
    *router.urls,
]
