"""Who runs a job, and is that process still alive?

A running job records the identity of its worker process: host name, boot id, PID namespace,
PID and the process's start time (Linux ``/proc``). Another process on the same machine, in the
same PID namespace, can then tell for certain whether that worker still exists: a PID that is
gone, or that now belongs to a process started at another time (PID reuse), means the worker
died. Anywhere else (another machine, another container, no ``/proc``) the answer is "cannot
tell", and recovery falls back to the job's heartbeat lease.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

_PROC = Path("/proc")


def _read(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def _pid_namespace() -> str:
    try:
        return os.readlink(_PROC / "self" / "ns" / "pid")  # e.g. "pid:[4026531836]"
    except OSError:
        return ""


def _start_time(pid: int) -> str:
    """The start time of living process ``pid`` in clock ticks since boot; "" when there is
    no such process or it has ended (a zombie that was not reaped yet counts as ended)."""
    stat = _read(_PROC / str(pid) / "stat")
    if not stat:
        return ""
    # The command name (field 2) may hold spaces and parentheses: split after the last ")".
    fields = stat.rsplit(")", 1)[-1].split()
    if len(fields) <= 19 or fields[0] in ("Z", "X", "x"):  # field 3: the state
        return ""
    return fields[19]  # field 22 of the whole line


@dataclass(frozen=True)
class WorkerIdentity:
    host: str
    boot: str
    pidns: str
    pid: int
    started: str

    def __str__(self) -> str:
        return "|".join((self.host, self.boot, self.pidns, str(self.pid), self.started))[:255]

    @classmethod
    def parse(cls, text: str) -> WorkerIdentity | None:
        parts = text.split("|")
        if len(parts) != 5 or not parts[3].isdigit():
            return None
        return cls(parts[0], parts[1], parts[2], int(parts[3]), parts[4])


def current_worker() -> WorkerIdentity:
    """The identity of this process."""
    pid = os.getpid()
    return WorkerIdentity(
        host=socket.gethostname()[:100],
        boot=_read(_PROC / "sys" / "kernel" / "random" / "boot_id"),
        pidns=_pid_namespace(),
        pid=pid,
        started=_start_time(pid),
    )


def worker_alive(recorded: str) -> bool | None:
    """Whether the worker recorded as ``recorded`` still runs: True, False, or None when this
    process cannot tell (another machine or container, or no ``/proc``)."""
    worker = WorkerIdentity.parse(recorded)
    if worker is None:
        return None
    here = current_worker()
    if not (here.boot and here.pidns and worker.started):
        return None
    if (worker.host, worker.boot, worker.pidns) != (here.host, here.boot, here.pidns):
        return None
    return _start_time(worker.pid) == worker.started
