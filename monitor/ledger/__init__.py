"""The embedded ledger: raw results, hourly rollups and current check state.

`SqliteLedger` (a file in data_dir) serves the running service; `MemoryLedger` serves the
one-shot `check` command and tests. Both keep the `Ledger` contract in types.py.
"""

from typing import TYPE_CHECKING

from monitor.core.errors import StorageError
from monitor.ledger.buffered import DEFAULT_TUNING, Tuning
from monitor.ledger.histogram import LatencyHistogram
from monitor.ledger.memory import MemoryLedger
from monitor.ledger.sqlite import SqliteLedger
from monitor.ledger.types import CheckKey, CheckState, HourRollup, Ledger, LedgerStats, StoredResult

__all__ = [
    "DEFAULT_TUNING",
    "CheckKey",
    "CheckState",
    "HourRollup",
    "LatencyHistogram",
    "Ledger",
    "LedgerStats",
    "MemoryLedger",
    "SqliteLedger",
    "StorageError",
    "StoredResult",
    "Tuning",
]

if TYPE_CHECKING:  # mypy proves both implementations keep the Ledger protocol

    def _keeps_the_protocol(memory: MemoryLedger, sqlite: SqliteLedger) -> list[Ledger]:
        return [memory, sqlite]
