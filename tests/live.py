"""Driving the app in a process of its own over real HTTP: a free port, and just enough of a
browser (one cookie jar, forms posted as urlencoded, the CSRF token read from the page)."""
import http.client
import re
import socket
import time
import urllib.parse

import pyotp
from werkzeug.datastructures import MultiDict

from tests import factories


def free_port(start: int = 5600) -> int:
    for port in range(start, start + 400):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port from {start}")


def wait_for(port: int, process, seconds: float = 20, path: str | None = None) -> None:
    """Until the server listens (and ``path`` answers 200), or fail naming why."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped: see its log"
        try:
            if path is None:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            if Browser(port).request("GET", path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"the server did not answer on port {port} within {seconds} s")


class Browser:
    """One cookie jar (the session cookie); forms posted as urlencoded."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, fields=None, headers=None, wait=True, raw=False):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()), **(headers or {})}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(list(MultiDict(fields).items(multi=True)))
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        if not wait:
            return connection
        reply = connection.getresponse()
        for header in reply.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.partition(";")[0]
        data = reply.read()
        connection.close()
        if raw:
            return reply.status, data, reply.headers
        return reply.status, data.decode()

    def csrf_token(self, path: str = "/login") -> str:
        return re.search(r'name="csrf-token" content="([^"]+)"', self.request("GET", path)[1]).group(1)

    def post(self, path: str, fields: dict | None = None, token_from: str = "/login"):
        """A form posted with the session's CSRF token, as the page's own form would."""
        return self.request("POST", path, {**(fields or {}), "csrf_token": self.csrf_token(token_from)})

    def log_in(self, email: str, totp_secret: str | None = None, password: str = factories.PASSWORD) -> None:
        """Through the login form, and its second step with the current code when the account
        has two-factor authentication (a code the account has not used yet)."""
        status, _ = self.post("/login", {"email": email, "password": password})
        assert status == 302
        if totp_secret:
            status, _ = self.post("/login/two-factor", {"code": pyotp.TOTP(totp_secret).now()}, "/login/two-factor")
            assert status == 302
