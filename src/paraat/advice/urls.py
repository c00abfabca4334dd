"""Staff pages of the advice process under ``/adviesproces/`` (namespace ``advice``).

Three route modules, one per part of the process: the request, its input and OMT
information (``urls_process``); the advice text, dossier, versions, comments and tasks
(``urls_text``); the decision, sign-off, dispatch, publication and cabinet response
(``urls_decision``). The public pages are in ``urls_public`` (``/adviezen/``).
"""

from paraat.advice.urls_decision import urlpatterns as decision_urls
from paraat.advice.urls_process import urlpatterns as process_urls
from paraat.advice.urls_text import urlpatterns as text_urls

app_name = "advice"
# Fixed paths (``nieuw/``, ``register/``, ``input/<token>/``) come first in urls_process.
urlpatterns = [*process_urls, *text_urls, *decision_urls]
