"""Settings package. Every setting is read from the environment with a documented default.

See ``docs/configuration.md`` for the full list.
"""
