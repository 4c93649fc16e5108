"""When a failed delivery is tried again, and when the outbox gives up on it.

Exponential backoff with full jitter (the AWS architecture blog's "full jitter"): after the
n-th failed attempt the next one waits a uniformly random time in [base, min(cap, base * 2^n)].
The randomness spreads the retries of many deliveries that failed together (one receiver
down for all incidents) so they do not hit it again in lockstep. A channel that says how long
to wait (DingTalk's throttle, an HTTP Retry-After) sets a minimum.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from alerting.delivery import Delivery, DeliveryOutcome
from alerting.storetypes import DeliveryState
from monitor.core.constants import OUTBOX_MAX_AGE_S, OUTBOX_RETRY_BASE_S, OUTBOX_RETRY_CAP_S

# 2^60 * base is far past any cap; stopping the exponent there keeps the float finite.
_MAX_EXPONENT = 60


@dataclass(frozen=True)
class RetryPolicy:
    base_s: float = OUTBOX_RETRY_BASE_S
    cap_s: float = OUTBOX_RETRY_CAP_S
    max_age_s: float = OUTBOX_MAX_AGE_S  # measured from the delivery's created_at

    def __post_init__(self) -> None:
        # base > 0 guarantees a failed delivery is never due again at the same instant, which
        # is what lets the outbox's run-once pass terminate.
        if not 0 < self.base_s <= self.cap_s:
            raise ValueError(f"retry needs 0 < base_s <= cap_s, got {self.base_s}, {self.cap_s}")
        if self.max_age_s <= 0:
            raise ValueError(f"retry max_age_s must be positive, got {self.max_age_s}")

    def backoff_s(
        self, failed_attempts: int, rng: random.Random, retry_after_s: float | None = None
    ) -> float:
        """Seconds to wait after the `failed_attempts`-th failure (1 for the first)."""
        exponent = min(max(failed_attempts, 0), _MAX_EXPONENT)
        high = min(self.cap_s, self.base_s * 2.0**exponent)
        delay = rng.uniform(self.base_s, high)
        if retry_after_s is not None:
            delay = max(delay, retry_after_s)
        return delay


@dataclass(frozen=True)
class Verdict:
    state: DeliveryState
    next_attempt_at: float | None  # set while the delivery stays pending


def after_attempt(
    policy: RetryPolicy,
    delivery: Delivery,
    outcome: DeliveryOutcome,
    at: float,
    rng: random.Random,
) -> Verdict:
    """What becomes of `delivery` after an attempt that ended at `at` with `outcome`.

    A failure past max_age_s expires the delivery; an old delivery is still tried once first
    (after a long outage of the service itself), so expiry always follows a real failure.
    """
    if outcome.ok:
        return Verdict(DeliveryState.SENT, None)
    if at - delivery.created_at >= policy.max_age_s:
        return Verdict(DeliveryState.EXPIRED, None)
    delay = policy.backoff_s(delivery.attempts + 1, rng, outcome.retry_after_s)
    return Verdict(DeliveryState.PENDING, at + delay)
