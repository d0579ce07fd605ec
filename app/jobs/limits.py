"""Running one piece of work in a child process with a time and a memory limit.

A profile that takes minutes or hundreds of megabytes (a maximal one used 475 MB) must not
take its worker with it: the child is forked, bounded (``RLIMIT_AS``), killed when its time is
up, and its memory goes back to the system when it exits, so a worker's own size stays what
it was. The child never touches the database: the parent reads the data first and stores what
comes back.

The child also runs at a lower CPU priority (``CHILD_NICENESS``): where a worker shares its
machine with web processes, a render takes only the CPU they leave, so pages stay quick while
the profiles of every State are built; on a machine of its own it loses nothing."""
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable

from app.jobs.operations import PermanentFailure

#: How much lower than its worker's the child's CPU priority is (``nice``, 0 to 19).
CHILD_NICENESS = 10


def run_limited(function: Callable, argument, seconds: float, megabytes: int):
    """``function(argument)`` in a forked child; PermanentFailure if it takes longer than
    ``seconds`` or more than ``megabytes`` of address space; its own errors are raised again."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child (coverage does not follow forks)
        os.close(reader)
        _child(writer, function, argument, megabytes)
    os.close(writer)
    try:
        payload = _read_until(reader, time.monotonic() + seconds)
    finally:
        os.close(reader)
        if payload is None:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if payload is None:
        raise PermanentFailure(f"took longer than {seconds:g} s")
    if not payload:
        raise PermanentFailure(f"needed more than {megabytes} MB")
    ok, value = pickle.loads(payload)
    if ok:
        return value
    if value == "MemoryError":
        raise PermanentFailure(f"needed more than {megabytes} MB")
    raise RuntimeError(value)


def _child(writer: int, function, argument, megabytes: int) -> None:
    """Compute, send (ok, value) or (False, error), and leave without running any exit handler:
    they belong to the parent (its connections, its threads)."""
    try:
        os.nice(CHILD_NICENESS)
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            result = (True, function(argument))
        except MemoryError:
            result = (False, "MemoryError")
        except BaseException as error:
            result = (False, f"{type(error).__name__}: {error}")
        data = pickle.dumps(result)
        view = memoryview(data)
        while view:
            view = view[os.write(writer, view):]
    finally:
        os._exit(0)


def _read_until(reader: int, deadline: float) -> bytes | None:
    """Everything the child writes, or None when the deadline comes first."""
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([reader], [], [], left)[0]:
            return None
        chunk = os.read(reader, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
