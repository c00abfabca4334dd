from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("paraat.web.urls")),
    path("", include("paraat.ops.urls")),
    path("accounts/", include("paraat.accounts.urls")),
    path("", include("paraat.measures.urls")),
    path("", include("paraat.evidence.urls")),
    path("maatschappelijk-beeld/rapport/", include("paraat.indicators.report_urls")),
    path("maatschappelijk-beeld/beheer/", include("paraat.indicators.manage_urls")),
    path("maatschappelijk-beeld/", include("paraat.indicators.urls")),
    path("afwegingen/", include("paraat.assessments.urls")),
    path("adviesproces/", include("paraat.advice.urls")),
    path("adviezen/", include("paraat.advice.urls_public")),
    path("netwerk/", include("paraat.network.urls")),
    path("burgerpanel/", include("paraat.panels.urls")),
    path("paraatheid/", include("paraat.preparedness.urls")),
    path("activering/", include("paraat.activation.urls")),
    path("oefeningen/", include("paraat.exercises.urls")),
    path("taken/", include("paraat.jobs.urls")),
    path("taxonomieen/", include("paraat.taxonomies.urls")),
    path("audit/", include("paraat.audit.urls")),
    path("api/", include("paraat.api.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("beheer/", admin.site.urls),
]

handler400 = "paraat.web.errors.bad_request"
handler403 = "paraat.web.errors.permission_denied"
handler404 = "paraat.web.errors.page_not_found"
handler500 = "paraat.web.errors.server_error"
