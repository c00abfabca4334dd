"""The permissions behind the assessment framework (pages and API).

Reading (``selectors.assessment_visible``, used by ``assessment_list``, ``assessment_get`` and
so by every page, the API, reports and exports):

* a **public** assessment: every logged-in user (and, where a page is open to the public, the
  public);
* any **other** assessment (internal, confidential): only a user whose role has ``VIEW_PERM``
  *and* who passes the confidentiality rules for it (internal: a role; confidential: the
  confidential level or an access grant). A grant alone does not open a non-public assessment
  to a role without ``VIEW_PERM`` (e.g. the external expert).

Within a visible assessment, confidential effectiveness, evidence, fiche cells, measures,
packages and indicators stay masked per record. Editing, importing and analysing need the
permissions below (analysts and the CPO secretariat have them, see ``paraat.accounts.roles``).
"""

from paraat.accounts.roles import EDIT_ASSESSMENTS

VIEW_PERM = "assessments.view_assessment"
ADD_PERM = "assessments.add_assessment"
CHANGE_PERM = "assessments.change_assessment"
IMPORT_PERM = ADD_PERM
ANALYSE_PERM = "assessments.add_assessmentversion"

#: Every permission an editor of assessments has (the role table in ``paraat.accounts.roles``).
EDIT_PERMS = EDIT_ASSESSMENTS
READ_PERMS = (VIEW_PERM, "assessments.view_assessmentversion")

assert {ADD_PERM, CHANGE_PERM, ANALYSE_PERM} <= set(EDIT_PERMS)
