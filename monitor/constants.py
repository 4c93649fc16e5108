"""Tuning numbers in one place, each with the reason for its value."""

from __future__ import annotations

from typing import Final

# Body bytes an HTTP probe reads at most: enough for any health page, bounded against endless bodies.
DEFAULT_MAX_BODY_BYTES: Final = 1024 * 1024
# Sent as User-Agent so app owners can tell monitor traffic from users in their access logs.
USER_AGENT: Final = "appmon/0.1 (+district app monitor)"
# Results buffered before the ledger writer flushes a batch: one transaction per batch keeps
# SQLite at a few hundred commits a second at most, whatever the probe rate.
LEDGER_BATCH_SIZE: Final = 2000
# Longest a result waits in the buffer before it is written, bounding loss on SIGKILL.
LEDGER_FLUSH_INTERVAL_S: Final = 1.0
# Results waiting for the writer beyond this are dropped (and counted): memory stays bounded
# even if the disk stalls for minutes.
LEDGER_MAX_PENDING: Final = 200_000
