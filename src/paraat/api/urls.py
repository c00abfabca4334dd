from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("v1/", include("paraat.api.v1_urls")),
    path("v1/schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    path("v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
