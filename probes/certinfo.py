"""What a probe needs to know about a leaf certificate, read from its DER bytes.

The `ssl` module only decodes a certificate after it verified, but an operator wants the days
left and the names even of a certificate that failed verification, so the DER form is parsed
here with `cryptography`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import NameOID

_SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True, slots=True)
class CertInfo:
    subject: str
    issuer: str
    not_before: dt.datetime  # timezone-aware UTC
    not_after: dt.datetime  # timezone-aware UTC
    dns_names: tuple[str, ...]  # subjectAltName DNS entries, lower case
    ip_addresses: tuple[str, ...]  # subjectAltName IP entries, canonical text
    common_name: str | None

    @property
    def san(self) -> tuple[str, ...]:
        return self.dns_names + self.ip_addresses

    def days_left(self, now_epoch: float) -> float:
        """Days until not_after; negative once expired."""
        return (self.not_after.timestamp() - now_epoch) / _SECONDS_PER_DAY

    def is_current(self, now_epoch: float) -> bool:
        return self.not_before.timestamp() <= now_epoch <= self.not_after.timestamp()

    def matches(self, host: str) -> bool:
        """Whether the certificate names `host` (RFC 6125: wildcard only as the leftmost label)."""
        ip = _as_ip(host)
        if ip is not None:
            return ip in self.ip_addresses
        wanted = host.rstrip(".").lower()
        # Like OpenSSL, fall back to the common name only when there is no DNS SAN at all.
        names = self.dns_names or ((self.common_name.lower(),) if self.common_name else ())
        return any(_name_matches(pattern, wanted) for pattern in names)


def parse_der(der: bytes) -> CertInfo:
    """Parse a DER-encoded certificate; raises ValueError when it cannot be decoded."""
    cert = x509.load_der_x509_certificate(der)
    dns_names: list[str] = []
    ips: list[str] = []
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        pass
    else:
        dns_names = [name.lower() for name in san.get_values_for_type(x509.DNSName)]
        ips = [str(addr) for addr in san.get_values_for_type(x509.IPAddress)]
    common_names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    common_name = str(common_names[0].value) if common_names else None
    return CertInfo(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        dns_names=tuple(dns_names),
        ip_addresses=tuple(ips),
        common_name=common_name,
    )


def _as_ip(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def _name_matches(pattern: str, host: str) -> bool:
    pattern = pattern.rstrip(".")
    if pattern == host:
        return True
    # Only a whole leftmost "*" label matches, and it matches exactly one label.
    if not pattern.startswith("*."):
        return False
    head, _, rest = host.partition(".")
    return bool(head) and rest == pattern[2:]
