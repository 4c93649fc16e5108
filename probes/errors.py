"""The one place where exceptions from sockets, asyncio, ssl and aiohttp become error kinds."""

from __future__ import annotations

import asyncio
import errno
import os
import re
import socket
import ssl
from typing import Final

import aiohttp

from monitor.core.i18n import EN
from monitor.core.reasons import Reason, render
from probes.base import ErrorKind

# Errors of this machine's resources: no verdict on the app can come from such a run.
MONITOR_ERRNOS: Final = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
# ClientPayloadError wraps the parser's error as "...: <ContentLengthError: 400, message='why'>".
_INNER_MESSAGE: Final = re.compile(r"message='([^']*)'")
# asyncio's connect error names the address: "Connect call failed ('::1', 8080, 0, 0)".
_CONNECT_FAILED: Final = re.compile(r"Connect call failed \('([^']+)', (\d+)")


class ProbeError(Exception):
    """Raised inside a probe to fail the run with a given kind; caught by the probe itself."""

    def __init__(self, kind: ErrorKind, message: str, reason: Reason | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.reason = reason

    @classmethod
    def because(cls, kind: ErrorKind, code: str, **params: object) -> ProbeError:
        """A failure with a reason code of the catalog; its message is the English text."""
        reason = Reason(code, params)
        return cls(kind, render(reason, EN), reason)


def reason_of(exc: BaseException) -> Reason | None:
    """The catalog reason of a failure, where it has one (else people read its message)."""
    if isinstance(exc, ProbeError):
        return exc.reason
    refused = (isinstance(exc, aiohttp.ClientConnectorError)
               and not isinstance(exc, aiohttp.ClientConnectorDNSError
                                  | aiohttp.ClientProxyConnectionError)
               and classify(exc.os_error)[0] is ErrorKind.CONNECT_REFUSED)
    if refused:
        assert isinstance(exc, aiohttp.ClientConnectorError)
        tried = dict.fromkeys(ip for ip, _ in _CONNECT_FAILED.findall(str(exc.os_error)))
        return Reason("refused", {"addresses": ", ".join(tried) or exc.host, "port": exc.port})
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return Reason("closed_silently" if isinstance(exc.message, str) else "closed_in_headers")
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        return Reason("proxy_tunnel", {"status": exc.status})
    return None


def classify(exc: BaseException) -> tuple[ErrorKind, str]:
    """Map an exception raised while talking to a target to (error kind, one-line message)."""
    if isinstance(exc, ProbeError):
        return exc.kind, exc.message
    if isinstance(exc, aiohttp.ClientError):
        return _classify_aiohttp(exc)
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
        return _classify_os(exc)
    if isinstance(exc, EOFError | asyncio.IncompleteReadError):
        return ErrorKind.PROTOCOL, "connection closed before a complete answer"
    return ErrorKind.INTERNAL, f"{type(exc).__name__}: {exc}"


def _classify_os(exc: OSError) -> tuple[ErrorKind, str]:
    if exc.errno in MONITOR_ERRNOS:
        # This machine's fault, not the app's: the run's outcome is `unknown`.
        return ErrorKind.MONITOR, f"this machine: {os.strerror(exc.errno or 0)}"
    if exc.errno in (errno.ETIMEDOUT,):
        return ErrorKind.CONNECT_TIMEOUT, "connect timed out"
    if exc.errno in (errno.ECONNREFUSED,):
        return ErrorKind.CONNECT_REFUSED, "connection refused"
    return ErrorKind.NETWORK, f"network error: {exc.strerror or exc}"


def _classify_aiohttp(exc: aiohttp.ClientError) -> tuple[ErrorKind, str]:
    """aiohttp wraps the socket and ssl errors; unwrap them, and name its own."""
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        cert_error = exc.certificate_error
        if isinstance(cert_error, ssl.SSLCertVerificationError):
            return _classify_cert(cert_error)
        return ErrorKind.CERT_INVALID, f"certificate not trusted: {cert_error}"
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        kind, message = classify(exc.os_error)
        return ErrorKind.PROXY, f"proxy unreachable ({kind.value}): {message}"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        kind, message = classify(exc.os_error)
        return kind, f"{message} ({exc.host})"
    if isinstance(exc, aiohttp.ClientConnectorError):
        kind, message = classify(exc.os_error)  # refused, unreachable, TLS: the cause decides
        if kind in (ErrorKind.CONNECT_REFUSED, ErrorKind.CONNECT_TIMEOUT, ErrorKind.NETWORK):
            # Happy eyeballs may have tried several addresses; name each one tried.
            tried = dict.fromkeys(ip for ip, _ in _CONNECT_FAILED.findall(str(exc.os_error)))
            message = f"{message} ({', '.join(tried) or exc.host} port {exc.port})"
        return kind, message
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        # The proxy stands, but could not reach the app for us (or refused to).
        return ErrorKind.NETWORK, f"the proxy answered {exc.status} to the tunnel request"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        if isinstance(exc.message, str):  # not even a status line arrived
            return ErrorKind.PROTOCOL, "connection closed without a response"
        return ErrorKind.PROTOCOL, "connection closed in the middle of the response headers"
    if isinstance(exc, aiohttp.ClientPayloadError):
        inner = _INNER_MESSAGE.search(str(exc))
        why = inner.group(1) if inner else _first_line(exc)
        return ErrorKind.PROTOCOL, f"body could not be read: {why.rstrip('.')}"
    if isinstance(exc, aiohttp.ClientResponseError):
        # The response parser's complaints (bad status line, bad header) arrive as these.
        return ErrorKind.PROTOCOL, f"not a valid HTTP response: {_parser_message(exc.message)}"
    if isinstance(exc, aiohttp.InvalidURL):
        return ErrorKind.PROTOCOL, f"bad URL {str(exc.url)!r}"
    if isinstance(exc, OSError):  # ClientOSError: a socket error mid-exchange
        cause = exc.__cause__ if isinstance(exc.__cause__, OSError) else None
        return classify(cause) if cause is not None else _classify_os(exc)
    return ErrorKind.NETWORK, f"{type(exc).__name__}: {_first_line(exc)}"


def _parser_message(text: str) -> str:
    """aiohttp's parser message on one line: "Bad status line; ...: 'SSH-2.0-OpenSSH_9.6'"."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and set(line) != {"^"}]  # drop the caret marker
    data = next((line for line in lines if line.startswith(("b'", 'b"'))), None)
    words = "; ".join(line.rstrip(":") for line in lines if line is not data)
    return f"{words}: {data[1:]}" if data else words


def _first_line(value: object) -> str:
    text = str(value).strip()
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= 200 else line[:200] + "..."


def _classify_cert(exc: ssl.SSLCertVerificationError) -> tuple[ErrorKind, str]:
    message = str(exc.verify_message or exc.reason or exc)
    code = exc.verify_code
    # OpenSSL X509_V_ERR_* codes: 10 expired, 9 not yet valid, 62 hostname mismatch.
    if code in (9, 10):
        return ErrorKind.CERT_EXPIRED, f"certificate {message}"
    if code == 62 or "hostname" in message.lower() or "IP address mismatch" in message:
        return ErrorKind.CERT_HOSTNAME, f"certificate {message}"
    return ErrorKind.CERT_INVALID, f"certificate not trusted: {message}"
