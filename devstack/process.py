"""Start, find and stop one background service process of the local stack.

Each service runs detached in its own session (process group), writes its output to
``<state_dir>/logs/<name>.log`` and is remembered by ``<state_dir>/run/<name>.pid``.
Stopping sends SIGTERM to the whole group, waits, then SIGKILLs what is left, so no
orphan processes remain.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from devstack.errors import StackError


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """True when something accepts TCP connections on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def port_bindable(port: int, host: str = "127.0.0.1") -> bool:
    """True when a server could listen on host:port now (as the services bind, with
    SO_REUSEADDR). False also when nothing listens there but a client connection uses
    the port as its own end: a port in the kernel's ephemeral range (32768-60999 on
    Linux) can be picked for any outgoing connection, and then the service cannot start
    until that connection closes."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


class ManagedProcess:
    """One service process, identified by name, with its pid file and log file."""

    def __init__(self, name: str, state_dir: Path) -> None:
        self.name = name
        self.pid_file = state_dir / "run" / f"{name}.pid"
        self.log_file = state_dir / "logs" / f"{name}.log"

    def pid(self) -> int | None:
        """The pid of the running process, or None (a stale pid file is removed)."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        if _alive(pid):
            return pid
        self.pid_file.unlink(missing_ok=True)
        return None

    def start(
        self, argv: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None
    ) -> int:
        """Start argv detached in a new session; return its pid. Output goes to the log.

        A plain fork+exec rather than subprocess.Popen: the service outlives this object
        (and often this process), and is stopped by pid through ``stop``.
        """
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        program = shutil.which(argv[0])
        if program is None:
            raise StackError(f"{self.name}: cannot run {argv[0]!r}: not found on PATH")
        full_env = {**os.environ, **(env or {})}
        log_fd = os.open(self.log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        null_fd = os.open(os.devnull, os.O_RDONLY)
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                os.setsid()
                if cwd is not None:
                    os.chdir(cwd)
                os.dup2(null_fd, 0)
                os.dup2(log_fd, 1)
                os.dup2(log_fd, 2)
                os.closerange(3, 65536)
                os.execve(program, list(argv), full_env)
            except BaseException as exc:  # exec failed: say why in the log
                os.write(2, f"cannot start {argv[0]}: {exc}\n".encode())
            finally:
                os._exit(127)
        os.close(log_fd)
        os.close(null_fd)
        self.pid_file.write_text(f"{pid}\n")
        return pid

    def exited(self) -> bool:
        """True when the process was started and has died (e.g. crashed on start)."""
        return self.pid() is None

    def stop(self, timeout: float = 20.0) -> bool:
        """Stop the process group: SIGTERM, wait up to timeout, then SIGKILL.

        Returns True if something was running.
        """
        pid = self.pid()
        if pid is None:
            return False
        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _group_alive(pid):
            time.sleep(0.1)
        if _group_alive(pid):
            _signal_group(pid, signal.SIGKILL)
            while _group_alive(pid):
                time.sleep(0.05)
        self.pid_file.unlink(missing_ok=True)
        return True

    def log_tail(self, lines: int = 25) -> str:
        """The last lines of the log, for error messages."""
        try:
            text = self.log_file.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child of ours counts as dead
    with contextlib.suppress(ChildProcessError):
        waited, _ = os.waitpid(pid, os.WNOHANG)
        if waited == pid:
            return False
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] == "Z"


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # every member may be a zombie waiting for us
    return _alive(pgid) or _group_has_live_members(pgid)


def _group_has_live_members(pgid: int) -> bool:
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[-1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)
