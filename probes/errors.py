"""The one place where exceptions from sockets, asyncio, ssl and aiohttp become error kinds."""

from __future__ import annotations

import asyncio
import errno
import socket
import ssl

from probes.base import ErrorKind


class ProbeError(Exception):
    """Raised inside a probe to fail the run with a given kind; caught by the probe itself."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def classify(exc: BaseException) -> tuple[ErrorKind, str]:
    """Map an exception raised while talking to a target to (error kind, one-line message)."""
    if isinstance(exc, ProbeError):
        return exc.kind, exc.message
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return ErrorKind.TIMEOUT, "timed out"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _classify_cert(exc)
    if isinstance(exc, ssl.SSLError):
        return ErrorKind.TLS, f"TLS handshake failed: {exc.reason or exc}"
    if isinstance(exc, socket.gaierror):
        return ErrorKind.DNS, f"name did not resolve: {exc.strerror or exc}"
    if isinstance(exc, ConnectionRefusedError):
        return ErrorKind.CONNECT_REFUSED, "connection refused"
    if isinstance(exc, ConnectionResetError | BrokenPipeError):
        return ErrorKind.NETWORK, "connection reset by peer"
    if isinstance(exc, OSError):
        if exc.errno in (errno.ETIMEDOUT,):
            return ErrorKind.CONNECT_TIMEOUT, "connect timed out"
        if exc.errno in (errno.ECONNREFUSED,):
            return ErrorKind.CONNECT_REFUSED, "connection refused"
        return ErrorKind.NETWORK, f"network error: {exc.strerror or exc}"
    if isinstance(exc, EOFError | asyncio.IncompleteReadError):
        return ErrorKind.PROTOCOL, "connection closed before a complete answer"
    return ErrorKind.INTERNAL, f"{type(exc).__name__}: {exc}"


def _classify_cert(exc: ssl.SSLCertVerificationError) -> tuple[ErrorKind, str]:
    message = str(exc.verify_message or exc.reason or exc)
    code = exc.verify_code
    # OpenSSL X509_V_ERR_* codes: 10 expired, 9 not yet valid, 62 hostname mismatch.
    if code in (9, 10):
        return ErrorKind.CERT_EXPIRED, f"certificate {message}"
    if code == 62 or "hostname" in message.lower() or "IP address mismatch" in message:
        return ErrorKind.CERT_HOSTNAME, f"certificate {message}"
    return ErrorKind.CERT_INVALID, f"certificate not trusted: {message}"
