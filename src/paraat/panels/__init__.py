"""The citizens' perspective (burgerperspectief): a consenting panel, short questionnaires and
dilemma sessions.
"""
