"""The one place where exceptions from sockets, asyncio, ssl and aiohttp become error kinds.

Every failure gets an error kind and a catalog `Reason` (monitor.core.reasons), so people read
it in their language; `classify` gives the English rendering for logs and tests. Raw words of
the system or OpenSSL ("Network is unreachable") travel as a `detail` parameter that only the
English text shows where the catalog has a word of its own for the case.
"""

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
# Socket errors the catalog names in words of its own (else: "network error: <strerror>").
_NETWORK_ERRNOS: Final = {
    errno.ENETUNREACH: "net.unreachable", errno.EHOSTUNREACH: "net.host_unreachable",
    errno.ECONNRESET: "net.reset", errno.EPIPE: "net.reset",
    errno.ECONNABORTED: "net.aborted",
}
# OpenSSL X509_V_ERR_* codes with a word of their own in the catalog.
_CERT_CODES: Final = {
    9: "cert.not_yet_valid", 10: "cert.expired", 18: "cert.self_signed",
    19: "cert.self_signed_chain", 20: "cert.no_issuer", 21: "cert.unverifiable_leaf",
    62: "cert.hostname", 64: "cert.ip_mismatch",
}

Failure = tuple[ErrorKind, Reason]


class ProbeError(Exception):
    """Raised inside a probe to fail the run with a given kind; caught by the probe itself."""

    def __init__(self, kind: ErrorKind, reason: Reason) -> None:
        self.message = render(reason, EN)
        super().__init__(self.message)
        self.kind = kind
        self.reason = reason

    @classmethod
    def because(cls, kind: ErrorKind, code: str, **params: object) -> ProbeError:
        """A failure with a reason code of the catalog; its message is the English text."""
        return cls(kind, Reason(code, params))


def english(reason: Reason) -> str:
    return render(reason, EN)


def diagnose(exc: BaseException) -> Failure:
    """Map an exception raised while talking to a target to (error kind, reason)."""
    if isinstance(exc, ProbeError):
        return exc.kind, exc.reason
    if isinstance(exc, aiohttp.ClientError):
        return _diagnose_aiohttp(exc)
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return ErrorKind.TIMEOUT, Reason("timeout")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _diagnose_cert(exc)
    if isinstance(exc, ssl.SSLError):
        return ErrorKind.TLS, Reason("tls.failed", {"detail": exc.reason or exc})
    if isinstance(exc, socket.gaierror):
        return ErrorKind.DNS, Reason("dns.failed", {"detail": exc.strerror or exc})
    if isinstance(exc, ConnectionRefusedError):
        return ErrorKind.CONNECT_REFUSED, Reason("net.refused")
    if isinstance(exc, ConnectionResetError | BrokenPipeError):
        return ErrorKind.NETWORK, Reason("net.reset")
    if isinstance(exc, OSError):
        return _diagnose_os(exc)
    if isinstance(exc, EOFError | asyncio.IncompleteReadError):
        return ErrorKind.PROTOCOL, Reason("net.closed_early")
    return ErrorKind.INTERNAL, Reason("internal", {"type": type(exc).__name__, "detail": exc})


def classify(exc: BaseException) -> tuple[ErrorKind, str]:
    """(error kind, the failure in English): for logs and for callers that want text."""
    kind, reason = diagnose(exc)
    return kind, render(reason, EN)


def explain(exc: BaseException, lang: str) -> str:
    """The failure in `lang`, for pages that show one directly (evaluation, traffic pulls)."""
    return render(diagnose(exc)[1], lang)


def reason_of(exc: BaseException) -> Reason:
    return diagnose(exc)[1]


def _diagnose_os(exc: OSError) -> Failure:
    if exc.errno in MONITOR_ERRNOS:
        # This machine's fault, not the app's: the run's outcome is `unknown`.
        return ErrorKind.MONITOR, Reason("monitor.resources",
                                         {"why": os.strerror(exc.errno or 0)})
    if exc.errno in (errno.ETIMEDOUT,):
        return ErrorKind.CONNECT_TIMEOUT, Reason("net.connect_timeout")
    if exc.errno in (errno.ECONNREFUSED,):
        return ErrorKind.CONNECT_REFUSED, Reason("net.refused")
    code = _NETWORK_ERRNOS.get(exc.errno or 0, "net.error")
    return ErrorKind.NETWORK, Reason(code, {"detail": exc.strerror or exc})


def _diagnose_aiohttp(exc: aiohttp.ClientError) -> Failure:
    """aiohttp wraps the socket and ssl errors; unwrap them, and name its own."""
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        cert_error = exc.certificate_error
        if isinstance(cert_error, ssl.SSLCertVerificationError):
            return _diagnose_cert(cert_error)
        return ErrorKind.CERT_INVALID, Reason("cert.untrusted", {"detail": cert_error})
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        kind, inner = diagnose(exc.os_error)
        return ErrorKind.PROXY, Reason("proxy.unreachable", {"kind": kind.value, "inner": inner})
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        kind, inner = diagnose(exc.os_error)
        return kind, Reason("at_host", {"inner": inner, "host": exc.host})
    if isinstance(exc, aiohttp.ClientConnectorError):
        kind, inner = diagnose(exc.os_error)  # refused, unreachable, TLS: the cause decides
        if kind in (ErrorKind.CONNECT_REFUSED, ErrorKind.CONNECT_TIMEOUT, ErrorKind.NETWORK):
            # Happy eyeballs may have tried several addresses; name each one tried.
            tried = dict.fromkeys(ip for ip, _ in _CONNECT_FAILED.findall(str(exc.os_error)))
            inner = Reason("at_address", {"inner": inner, "port": exc.port,
                                          "addresses": ", ".join(tried) or exc.host})
        return kind, inner
    if isinstance(exc, aiohttp.ClientHttpProxyError):
        # The proxy stands, but could not reach the app for us (or refused to).
        return ErrorKind.NETWORK, Reason("proxy_tunnel", {"status": exc.status})
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        if isinstance(exc.message, str):  # not even a status line arrived
            return ErrorKind.PROTOCOL, Reason("closed_silently")
        return ErrorKind.PROTOCOL, Reason("closed_in_headers")
    if isinstance(exc, aiohttp.ClientPayloadError):
        inner_message = _INNER_MESSAGE.search(str(exc))
        why = inner_message.group(1) if inner_message else _first_line(exc)
        return ErrorKind.PROTOCOL, Reason("http.body_unreadable", {"detail": why.rstrip(".")})
    if isinstance(exc, aiohttp.ClientResponseError):
        # The response parser's complaints (bad status line, bad header) arrive as these.
        return ErrorKind.PROTOCOL, Reason("http.invalid",
                                          {"detail": _parser_message(exc.message)})
    if isinstance(exc, aiohttp.InvalidURL):
        return ErrorKind.PROTOCOL, Reason("http.bad_url", {"url": str(exc.url)})
    if isinstance(exc, OSError):  # ClientOSError: a socket error mid-exchange
        cause = exc.__cause__ if isinstance(exc.__cause__, OSError) else None
        return diagnose(cause) if cause is not None else _diagnose_os(exc)
    return ErrorKind.NETWORK, Reason("net.other", {"type": type(exc).__name__,
                                                    "detail": _first_line(exc)})


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


def _diagnose_cert(exc: ssl.SSLCertVerificationError) -> Failure:
    message = str(exc.verify_message or exc.reason or exc)
    code = exc.verify_code
    named = _CERT_CODES.get(code)
    if code in (9, 10):
        return ErrorKind.CERT_EXPIRED, Reason(named or "cert.expired", {"detail": message})
    if code in (62, 64) or "hostname" in message.lower() or "IP address mismatch" in message:
        return ErrorKind.CERT_HOSTNAME, Reason(named or "cert.hostname", {"detail": message})
    return ErrorKind.CERT_INVALID, Reason(named or "cert.untrusted", {"detail": message})
