"""The load scenario of ``paraat bench load`` (issue 8): a locustfile, the load-test data it
needs (``paraat loadtest setup``) and the check afterwards (``paraat loadtest verify``).

``plan`` is plain Python (the locustfile imports it without Django); ``scenario`` creates the
fictional users and requests through the services; ``check`` compares what the simulated
users were told (the locustfile's results file) with what the database holds.
"""
