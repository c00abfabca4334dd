"""Activation (activering): criteria, the signal to the Secretary-General, the minister's decision,
the establishment decree and a staffed secretariat.
"""
