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
# The alert store shares the ledger's file; its writes are small but must not be lost, so it
# waits out a long ledger batch or prune rather than failing an incident update.
ALERT_STORE_BUSY_TIMEOUT_S: Final = 30.0
# Pending deliveries beyond this are dropped oldest first (and counted): a receiver that is
# down for days cannot grow the outbox without bound.
OUTBOX_MAX_PENDING: Final = 10_000
# First retry delay of a failed delivery: long enough not to hammer a receiver that just
# failed, short enough that a blip costs seconds.
OUTBOX_RETRY_BASE_S: Final = 2.0
# Longest retry delay: a receiver back after an outage hears from us within 10 minutes (also
# DingTalk's throttle period after 130101).
OUTBOX_RETRY_CAP_S: Final = 600.0
# A delivery still failing this long after it was created is expired: news a day old is no
# longer worth a page.
OUTBOX_MAX_AGE_S: Final = 86400.0
# Deliveries handed to a channel per call: enough for a DingTalk digest of a burst, small
# enough that one call stays short.
OUTBOX_BATCH_SIZE: Final = 50
# A grouped channel (DingTalk, e-mail) takes everything due in one batch, up to this: a batch
# is one digest message, so a burst of a few hundred apps is one message, not one per 50.
OUTBOX_GROUPED_BATCH_SIZE: Final = 2000
# A channel call is cut off after (deliveries + this) times the channel's request timeout:
# channels send one request per delivery at most, each bounded by that timeout, plus a
# connect/login or two; a call running longer ignores its own timeouts, i.e. hangs.
OUTBOX_CALL_SLACK_REQUESTS: Final = 2
# An idle worker looks at the store at least this often, even without a wake.
OUTBOX_IDLE_RECHECK_S: Final = 60.0
# A worker whose store read or write failed waits this long before trying again.
OUTBOX_STORE_ERROR_PAUSE_S: Final = 5.0
# On shutdown, workers get this long to finish the channel call in flight before cancellation.
OUTBOX_STOP_TIMEOUT_S: Final = 5.0
# Finished deliveries (sent, expired, dropped) and their attempts are kept this long, so the
# analysis report of an incident from last quarter still shows who was told when.
OUTBOX_KEEP_S: Final = 180 * 86400.0
# InfluxDB sink. Lines per write request: InfluxDB's own guidance for optimal batches.
INFLUX_BATCH_SIZE: Final = 5000
# Longest a point waits in memory before its batch is sent: Grafana's wall refreshes every few
# seconds, and one request a second is nothing to InfluxDB.
INFLUX_FLUSH_INTERVAL_S: Final = 1.0
# A write request taking longer fails and is retried (the client's total request timeout).
INFLUX_TIMEOUT_S: Final = 10.0
# Disk budget of the outage spool: probe points take ~40 bytes each zlib-compressed, so 1 GiB
# holds ~25 million, about 7 hours at 1,000 points/s; past it the oldest points are dropped.
INFLUX_SPOOL_MAX_BYTES: Final = 1024**3
# Points held in memory before the oldest batches spill to the spool (~15 MB of lines): a slow
# or hanging InfluxDB cannot grow the process, whatever the probe rate.
INFLUX_MEMORY_MAX_LINES: Final = 60_000
# Spool segment files roll at this size: big enough that files stay few (64 per GiB), small
# enough that a budget drop (whole oldest segment) loses under 2 % of the budget's points.
INFLUX_SEGMENT_BYTES: Final = 16 * 1024 * 1024
# First retry delay of a failed write: a blip costs a second, not a burst of retries.
INFLUX_RETRY_BASE_S: Final = 1.0
# Longest retry delay: a returning InfluxDB gets the backlog within 30 s, and retrying a dead
# one every 30 s costs nothing.
INFLUX_RETRY_CAP_S: Final = 30.0
# Repeated sink warnings (outage, dropped points, bad token) are logged at most this often,
# each with the count since the last one: a day-long outage is a few lines per hour, not a flood.
INFLUX_LOG_EVERY_S: Final = 60.0
# Config YAML. Nesting deeper than this is refused before Python's own recursion limit is
# near: real configs nest fewer than 10 levels, so 64 leaves room for any hand-written one.
CONFIG_MAX_DEPTH: Final = 64
# Nodes that YAML aliases (and `<<` merges) may add by repeating what they point to: at most
# this many, or this factor times the nodes written, whichever is more. A config reusing a
# block for each of thousands of apps stays below it; an alias bomb (a few hundred bytes that
# expand to a billion values) is stopped after some ten thousand, in milliseconds.
CONFIG_ALIAS_NODES: Final = 10_000
CONFIG_ALIAS_FACTOR: Final = 10
# api_tokens: shorter bearer tokens can be guessed; secrets.token_urlsafe(16) gives 22.
API_TOKEN_MIN_CHARS: Final = 16
