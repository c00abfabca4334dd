"""paraat_core: pure-Python/numpy computation core of paraat.

Nothing in this package imports Django or pandas; it works on plain data
(dicts, tuples, numpy arrays) so it can be used from the web app, from
management commands, and from tests alike.
"""
