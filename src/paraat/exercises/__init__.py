"""Exercises (oefeningen): scenario scripts with timed injects, run in a sandbox, evaluated into
playbook actions.
"""
