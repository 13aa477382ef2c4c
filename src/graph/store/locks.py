"""Locks on a store directory: one build at a time, one edit at a time (advisory ``flock``)."""

from __future__ import annotations

import contextlib
import fcntl
import time
from collections.abc import Iterator
from pathlib import Path

from graph.store.errors import StoreError


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Exclusive lock so that two builds never write the same store at once."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"another build is writing {root}; try again when it has finished") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class LockBusy(StoreError):
    """Another process has held the lock for longer than the caller would wait."""


EDIT_LOCK_TIMEOUT = 30.0


@contextlib.contextmanager
def edit_lock(root: Path, timeout: float = EDIT_LOCK_TIMEOUT) -> Iterator[None]:
    """Exclusive lock so that edits of the tables (and restores) happen one at a time; waits up to ``timeout``
    seconds, then :class:`LockBusy`."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".edit.lock", "w") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockBusy("another edit is in progress; try again in a moment") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
