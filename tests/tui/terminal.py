"""Run readq's TUI in a real pseudo-terminal, type into it and read every byte it writes."""

from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

# Generous: a loaded CI machine may take seconds to start Python and Textual.
DEADLINE_SECONDS = 30.0


class Terminal:
    def __init__(self, *args: str, columns: int = 100, lines: int = 30) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns)}
        env.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "readq", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self._master = master
        self._output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self._master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self._output += chunk

    @property
    def output(self) -> bytes:
        with self._lock:
            return bytes(self._output)

    def type(self, text: str) -> None:
        os.write(self._master, text.encode())

    def wait_for(self, needle: bytes) -> None:
        """Poll the output until ``needle`` appears (a readiness wait, not a timed assertion)."""
        deadline = time.monotonic() + DEADLINE_SECONDS
        while needle not in self.output:
            if time.monotonic() > deadline or self.process.poll() is not None:
                tail = self.output[-2000:]
                raise AssertionError(f"{needle!r} never appeared; last output: {tail!r}")
            time.sleep(0.02)

    def close(self) -> int:
        if self.process.poll() is None:
            self.process.kill()
        code = self.process.wait()
        self._reader.join(timeout=5)
        os.close(self._master)
        return code


def wait_until_file_contains(path: Path, text: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not (path.exists() and text in path.read_text(encoding="utf-8", errors="replace")):
        if time.monotonic() > deadline:
            raise AssertionError(f"{path.name} never contained {text!r}")
        time.sleep(0.02)
