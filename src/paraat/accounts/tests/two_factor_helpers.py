"""Helpers for the two-factor tests: set up a device and compute its current code."""

from __future__ import annotations

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from paraat.accounts import services
from paraat.accounts.models import User


def current_code(device: TOTPDevice) -> str:
    """The code the user's app shows now. Resets the device's record of the last code used,
    so that a test may log in twice within one 30-second step."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, drift=0)
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = int(current_code(device))
    return f"{(right + 500_000) % 1_000_000:06d}"


def device_setup(user: User) -> tuple[TOTPDevice, list[str]]:
    """A confirmed authenticator app and its ten backup codes, as the setup page makes them."""
    device = services.otp_device_create(user=user)
    codes = services.otp_device_confirm(device=device, token=current_code(device))
    device.refresh_from_db()
    return device, codes
