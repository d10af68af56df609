"""Read untrusted workbooks in a separate process with hard limits, one fresh process per file.

A native reader can hold Python's global lock for seconds, allocate gigabytes or panic. In a worker
process none of that reaches the web server: its threads keep serving every other session while the
parent only waits on a pipe. The child sets an address-space limit, a CPU-time limit and no core or
file writes before it touches the bytes; the parent adds a wall-clock timeout and kills the child when
it runs out. A spare child is started ahead of time (imports done), so a read costs no start-up.

The answer comes back as a pickle read with an allow-list of classes, so even a child that went wrong
cannot make the parent build arbitrary objects. Run as `python -m loaders.worker` (the parent does).
"""

from __future__ import annotations

import atexit
import io
import logging
import os
import pickle
import resource
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from loaders.problems import Problem, problem
from loaders.workbook import RawWorkbook

# Chosen from measurements (README "Security and limits", bench/bench_hostile.py): the largest honest
# workbook (10,000 indicator rows) peaks at 37 MB of address space and 0.32 s of CPU in the child;
# the costliest file the sheet limits still let through, 54 MB and 0.54 s. The parent sends the
# limits with each file, so they are read here, in the web server's process.
MEMORY_LIMIT_BYTES = int(os.environ.get("GG_READ_MEMORY_MB", "256")) * 1024 * 1024
CPU_LIMIT_SECONDS = int(os.environ.get("GG_READ_CPU_SECONDS", "5"))
WALL_LIMIT_SECONDS = float(os.environ.get("GG_READ_WALL_SECONDS", "15"))
MAX_PARALLEL = int(os.environ.get("GG_READ_WORKERS", "2"))  # children reading at once
MAX_ANSWER_BYTES = 256 * 1024 * 1024

ROOT = Path(__file__).resolve().parents[1]
log = logging.getLogger(__name__)

_ALLOWED = {
    ("builtins", "list"), ("builtins", "dict"), ("builtins", "tuple"),
    ("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta"),
    ("loaders.problems", "Problem"), ("loaders.workbook", "RawWorkbook"),
}  # fmt: skip


class _AllowListUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed")
        return super().find_class(module, name)


@dataclass
class WorkerResult:
    """What one read gave: the rows or the problems, and what it cost the child."""

    raw: RawWorkbook | None
    problems: list[Problem] = field(default_factory=list)
    wall_seconds: float = 0.0
    cpu_seconds: float | None = None  # None when the child did not live to say
    peak_rss_bytes: int | None = None
    how: str = "ok"  # ok | refused | memory | cpu | timeout | crash
    peak_address_space_bytes: int | None = None  # what RLIMIT_AS counts

    def outcome(self) -> tuple[RawWorkbook | None, list[Problem]]:
        return self.raw, self.problems


# --- the child -----------------------------------------------------------------------------------


_HEADER = struct.Struct("!QI")  # memory limit in bytes, CPU limit in seconds


def _limit_self(memory: int, cpu: int) -> None:
    """Hard limits for this process, set after the imports and before the untrusted bytes are read.

    CPU time counts from the process's start, so the limit is what it has used so far plus `cpu`:
    SIGXCPU at the soft limit, SIGKILL two seconds later."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu_now = int(used.ru_utime + used.ru_stime) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_now + cpu, cpu_now + cpu + 2))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def _peaks() -> tuple[int, int]:
    """This process's own peak resident memory and peak address space, in bytes (ru_maxrss would
    include the parent's, inherited through fork)."""
    found = {}
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "VmPeak"):
                found[key] = int(rest.split()[0]) * 1024
    return found.get("VmHWM", 0), found.get("VmPeak", 0)


def _child() -> int:
    import python_calamine  # noqa: F401

    from loaders.workbook import guarded, read_in_this_process  # noqa: F401 - warm the imports

    data = sys.stdin.buffer.read()  # blocks until the parent has a file for us; EOF at its exit
    if len(data) < _HEADER.size:
        return 0
    memory, cpu = _HEADER.unpack_from(data)
    data = data[_HEADER.size :]
    _limit_self(memory, cpu)
    start = resource.getrusage(resource.RUSAGE_SELF)
    try:
        raw, problems = read_in_this_process(data)
        how = "ok" if raw is not None and not problems else "refused"
    except (KeyboardInterrupt, SystemExit):
        raise
    except MemoryError:
        raw, problems, how = None, [], "memory"
    except BaseException as exc:  # noqa: BLE001 - a panic or anything native: a refusal, not a trace
        print(f"reader failed: {type(exc).__name__}: {exc}"[:2000], file=sys.stderr)
        raw, problems, how = None, [], "crash"
    end = resource.getrusage(resource.RUSAGE_SELF)
    cpu = end.ru_utime + end.ru_stime - start.ru_utime - start.ru_stime
    answer = pickle.dumps((how, raw, problems, cpu, *_peaks()), protocol=5)
    sys.stdout.buffer.write(answer)
    sys.stdout.buffer.flush()
    return 0


# --- the parent ----------------------------------------------------------------------------------


class _Pool:
    """At most MAX_PARALLEL children reading at once, and one spare child ready for the next file."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(MAX_PARALLEL)
        self._spare: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "loaders.worker"],  # the server's own interpreter and path
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # a Ctrl-C in the terminal reaches the parent, which decides
        )

    def _take(self) -> subprocess.Popen:
        with self._lock:
            child, self._spare = self._spare, None
            if child is None or child.poll() is not None:
                child = self._start()
            self._spare = self._start()
            return child

    def warm(self) -> None:
        """Start the spare child now (the web app calls this at start-up)."""
        with self._lock:
            if self._spare is None or self._spare.poll() is not None:
                self._spare = self._start()

    def close(self) -> None:
        with self._lock:
            child, self._spare = self._spare, None
        if child is not None and child.poll() is None:
            child.kill()
            child.wait()

    def read(self, data: bytes, name: str) -> WorkerResult:
        with self._slots:
            try:
                child = self._take()
            except OSError as exc:  # no process to be had (limits of the server itself)
                return _failed(name, "crash", 0.0, str(exc).encode())
            start = time.perf_counter()
            try:
                header = _HEADER.pack(MEMORY_LIMIT_BYTES, CPU_LIMIT_SECONDS)
                out, err = child.communicate(header + data, timeout=WALL_LIMIT_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                child.communicate()
                return _failed(name, "timeout", time.perf_counter() - start, b"")
            except BaseException:
                child.kill()  # KeyboardInterrupt while waiting: leave nothing running behind us
                child.wait()
                raise
            wall = time.perf_counter() - start
        if child.returncode != 0 or not out or len(out) > MAX_ANSWER_BYTES:
            how = "crash"
            if child.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
                how = "cpu"
            elif b"MemoryError" in err or b"memory allocation" in err:
                how = "memory"
            return _failed(name, how, wall, err)
        try:
            how, raw, problems, cpu, peak, peak_vm = _AllowListUnpickler(io.BytesIO(out)).load()
        except Exception:
            return _failed(name, "crash", wall, err)
        if how in {"memory", "crash"}:
            return _failed(name, how, wall, err, cpu, peak)
        return WorkerResult(raw, problems, wall, cpu, peak, how, peak_vm)


def _failed(name: str, how: str, wall: float, err: bytes, cpu=None, peak=None) -> WorkerResult:
    said = err[-2000:].decode("utf-8", "replace")
    level = (
        logging.ERROR
        if "Error: No module named" in said or "ImportError" in said
        else logging.WARNING
    )
    log.log(
        level, "workbook %r refused: reader %s after %.1f s; child said: %s", name, how, wall, said
    )
    shown = f" '{name}'" if name else ""
    reason = {"timeout": f"> {WALL_LIMIT_SECONDS:g} s", "cpu": f"> {CPU_LIMIT_SECONDS} s CPU",
              "memory": f"> {MEMORY_LIMIT_BYTES // 2**20} MB"}.get(how, how)  # fmt: skip
    found = problem("too_complex", value=reason, expected=shown)
    return WorkerResult(None, [found], wall, cpu, peak, how)


_pool = _Pool()
atexit.register(_pool.close)


def read(data: bytes, name: str = "") -> WorkerResult:
    """Check and read one workbook in a bounded child process; never raises for what the file does."""
    return _pool.read(data, name)


def warm() -> None:
    _pool.warm()


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent ends us; a terminal's Ctrl-C does not
    code = _child()
    # The answer is written and flushed: leave without the interpreter's tear-down, which took
    # 100-200 ms (every imported module freed) while the parent waited for the end of our output.
    sys.stderr.flush()
    os._exit(code)
