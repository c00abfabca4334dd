"""Standby (waakstand): mode and scenario level, meeting cadence, meetings, the playbook, budget
and the yearly report.
"""
