from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("", include("paraat.web.urls")),
    path("accounts/", include("paraat.accounts.urls")),
    path("", include("paraat.measures.urls")),
    path("taken/", include("paraat.jobs.urls")),
    path("audit/", include("paraat.audit.urls")),
    path("api/", include("paraat.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("beheer/", admin.site.urls),
]

handler400 = "paraat.web.errors.bad_request"
handler403 = "paraat.web.errors.permission_denied"
handler404 = "paraat.web.errors.page_not_found"
handler500 = "paraat.web.errors.server_error"

