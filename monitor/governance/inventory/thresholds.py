"""Every number the inventory audit (应用清单治理) classifies by, in one place.

The class rules are DOMAIN.md's "Thresholds" table (no public numbers exist for 浙政钉; these
are the State Council website-check defaults). Where another part of the service already applies
the same rule, the constant is imported from there, so the monthly report's watch-list, the
pre-listing evaluation and this audit can never disagree about a line.
"""

from __future__ import annotations

from typing import Final

from monitor.governance.evaluate.traffic import MIN_VISITORS, TARGET_SHARE, visitor_threshold
from monitor.reports.monthly.build import AVAILABILITY_TARGET_PCT
from monitor.reports.monthly.groups import WEEK_FAILED_LIMIT_PCT

__all__ = [
    "AVAILABILITY_TARGET_PCT",
    "DEADLINE_BEFORE_QUARTER_END_DAYS",
    "DEADLINE_MIN_DAYS",
    "DEFAULT_QUARTER_ENDS",
    "LOW_FREQUENCY_MONTHS",
    "MIN_VISITORS",
    "TARGET_SHARE",
    "TRAFFIC_LOOKBACK_DAYS",
    "TRAFFIC_STALE_DAYS",
    "TREND_MONTHS",
    "TREND_PCT_POINTS",
    "TREND_VISITOR_SHARE",
    "UNREACHABLE_DAYS",
    "WEEKS_CHECKED",
    "WEEK_FAILED_LIMIT_PCT",
    "ZOMBIE_WARNING_DAYS",
    "ZOMBIE_ZERO_DAYS",
    "visitor_threshold",
]

# --- 僵尸 zombie (DOMAIN.md: "zero visitors for 90 consecutive days (30 days = early warning),
# or unreachable for 30 days, or no owner on record") ------------------------------------------
ZOMBIE_ZERO_DAYS: Final = 90
ZOMBIE_WARNING_DAYS: Final = 30
UNREACHABLE_DAYS: Final = 30

# --- 低频 low-frequency (DOMAIN.md: "monthly unique visitors < max(10, 5% of declared target
# users) for 3 months running"); MIN_VISITORS and TARGET_SHARE come from the pre-listing
# evaluation, which applies the same line to a trial's visitors. ------------------------------
LOW_FREQUENCY_MONTHS: Final = 3

# --- 低可用 low-availability (DOMAIN.md: "monthly availability < 99%, or >= 5% failed probes in
# a week"); AVAILABILITY_TARGET_PCT and WEEK_FAILED_LIMIT_PCT are the monthly report's. --------
WEEKS_CHECKED: Final = 4  # "any week of the last 4 weeks": a quarter's notice looks back ~1 month

# --- traffic data: how far back we read, and when a silent source is not evidence ------------
# Longer than ZOMBIE_ZERO_DAYS so a streak can be shown past the line, and covering the three
# full months of the low-frequency rule (at most 31 + 31 + 30 + 30 days back from today).
TRAFFIC_LOOKBACK_DAYS: Final = 180
# No traffic record at all for this many days: the source has likely stopped (or reports only
# days with visitors), so the audit says "no data" instead of counting the silence as zero.
TRAFFIC_STALE_DAYS: Final = ZOMBIE_WARNING_DAYS

# --- trend over the last full months ---------------------------------------------------------
TREND_MONTHS: Final = 3
# "flat" unless the last month moved by more than this from the first: availability in
# percentage points, visitors as a share of the first month's figure (at least one visitor).
TREND_PCT_POINTS: Final = 0.1
TREND_VISITOR_SHARE: Final = 0.1

# --- quarterly notice (季度通报) and the rectification deadline -------------------------------
DEFAULT_QUARTER_ENDS: Final = ("03-31", "06-30", "09-30", "12-31")
# Fixed 15 days before the quarter end leaves time to re-check before the province counts;
# but never fewer than 14 days from today, so an owner always has two weeks (capped at the
# quarter end itself).
DEADLINE_BEFORE_QUARTER_END_DAYS: Final = 15
DEADLINE_MIN_DAYS: Final = 14
