"""One HTTP exchange held to one deadline, from connect to the last byte.

A socket timeout bounds each read, not the exchange: a host that sends its status line and
headers one byte at a time, each within the read timeout, would hold the worker for as long as
it liked. Here a watchdog shuts the socket down when the deadline passes, whatever the
exchange is doing (connecting, the TLS handshake, reading headers or the body), and the
connection says so (``timed_out``), so callers report a timeout rather than a broken transfer
or a short body. ``fetch`` (the licensed files) and ``getty`` (the server's questions to Getty)
both talk through this.
"""

import http.client
import socket
import ssl
import threading
import time


class Deadline:
    """A point in time an exchange must be over by."""

    def __init__(self, seconds: float):
        self._at = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left (negative once passed)."""
        return self._at - time.monotonic()

    def passed(self) -> bool:
        """Whether the deadline has passed."""
        return self.remaining() <= 0


class DeadlinePassed(TimeoutError):
    """The exchange did not finish before its deadline."""


class Connection(http.client.HTTPConnection):
    """An HTTP or HTTPS connection held to ``deadline``.

    ``address`` is where to connect (an address checked beforehand, so no second lookup can
    change it), else ``host`` is resolved as usual; ``host`` is always what the ``Host`` header
    and TLS (SNI and certificate) name. Each read waits at most ``read_timeout``; the whole
    exchange ends at ``deadline``.
    """

    def __init__(self, scheme, host, port, *, deadline, connect_timeout, read_timeout, address=None):
        super().__init__(host, port, timeout=connect_timeout)
        self._scheme = scheme
        self._address = address or host
        self._deadline = deadline
        self._read_timeout = read_timeout
        self._watchdog = None
        self._lock = threading.Lock()
        #: Whether the deadline cut the exchange short.
        self.timed_out = False

    def connect(self):
        remaining = self._deadline.remaining()
        if remaining <= 0:
            self.timed_out = True
            raise DeadlinePassed()
        sock = socket.create_connection((self._address, self.port), min(self.timeout, remaining))
        with self._lock:
            self.sock = sock
            self._watchdog = threading.Timer(max(self._deadline.remaining(), 0), self._expire)
            self._watchdog.daemon = True
            self._watchdog.start()
        sock.settimeout(self._read_timeout)
        if self._scheme == "https":
            wrapped = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)
            with self._lock:
                self.sock = wrapped

    def _expire(self):
        with self._lock:
            self.timed_out = True
            sock = self.sock
            if sock is None:
                return
            try:
                # The plain socket's shutdown, also under TLS: it wakes a read blocked in
                # another thread without touching the TLS object that read is using.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass  # already closed

    def close(self):
        with self._lock:
            if self._watchdog is not None:
                self._watchdog.cancel()
                self._watchdog = None
        super().close()


def read_all(response, connection, limit):
    """The body of ``response`` (at most ``limit`` bytes, else ``ValueError``); a body the
    deadline cut short raises ``DeadlinePassed``."""
    chunks = []
    size = 0
    while True:
        chunk = response.read1(64 * 1024)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise ValueError(f"the answer is larger than {limit} bytes")
        chunks.append(chunk)
    if connection.timed_out:
        raise DeadlinePassed()
    return b"".join(chunks)
