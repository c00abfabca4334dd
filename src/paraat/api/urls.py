from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from paraat.api.views import not_found

urlpatterns = [
    path("v1/", include("paraat.api.v1_urls")),
    path("v1/schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    path("v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Anything else under /api/ that ends in a slash is a JSON 404, not the site's HTML page
    # (paths without the slash keep APPEND_SLASH's redirect).
    re_path(r"^(?P<path>[\s\S]*)/$", not_found, name="api-not-found"),
]
