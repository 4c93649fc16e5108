"""Tuning numbers in one place, each with the reason for its value."""

from __future__ import annotations

from typing import Final

# Body bytes an HTTP probe reads at most: enough for any health page, bounded against
# endless bodies.
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
# Raw results expire by the day; pruning hourly keeps each delete (and its write lock) small.
LEDGER_PRUNE_INTERVAL_S: Final = 3600.0
# A report process may read the ledger file while the service writes; wait this long for a lock
# rather than failing at once (writes are short batches).
LEDGER_BUSY_TIMEOUT_S: Final = 5.0
# A result's message is one line for people; the cap keeps a probe that echoes a body from
# bloating every stored row.
LEDGER_MESSAGE_MAX_CHARS: Final = 500
# The ledger's write-ahead log is cut back to this after a checkpoint, so one big prune does
# not leave a WAL file of its size behind for good.
LEDGER_WAL_LIMIT_BYTES: Final = 64 * 1024 * 1024
