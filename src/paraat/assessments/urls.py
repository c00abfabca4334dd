"""Pages of the assessment framework under ``/afwegingen/``.

The editing pages (``urls_edit``) and the result and report pages (``urls_results``) are kept in
separate modules; both use the ``assessments`` namespace.
"""

from paraat.assessments.urls_catalogue import urlpatterns as catalogue_urls
from paraat.assessments.urls_edit import urlpatterns as edit_urls
from paraat.assessments.urls_results import urlpatterns as result_urls

app_name = "assessments"
# Result routes first: their fixed paths (``methode/``) must win over ``<key>/``.
urlpatterns = [*catalogue_urls, *result_urls, *edit_urls]
