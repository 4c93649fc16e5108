"""Durations and other units, in the styles the pages use them."""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
    # How long a probe took: 2.6 秒, 850 毫秒.
    "took.seconds": {ZH: "{n} 秒", EN: "{n}s"},
    "took.milliseconds": {ZH: "{n} 毫秒", EN: "{n}ms"},
    # A span as people say it, two units at most (console incident pages): 1小时5分.
    "span.days": {ZH: "{d}天{h}小时", EN: "{d}d {h}h"},
    "span.hours": {ZH: "{h}小时{m}分", EN: "{h}h {m}m"},
    "span.minutes": {ZH: "{m}分{s}秒", EN: "{m}m {s}s"},
    # The wall's countdowns, as console.js writes them: 5分03秒.
    "countdown.minutes": {ZH: "{m}分{s:02d}秒", EN: "{m}m {s:02d}s"},
    # Reports, to the second below an hour: 8 分 20 秒.
    "report.hours": {ZH: "{h} 小时 {m} 分", EN: "{h} h {m} min"},
    "report.minutes": {ZH: "{m} 分 {s} 秒", EN: "{m} min {s} s"},
    "report.seconds": {ZH: "{s} 秒", EN: "{s} s"},
    # Days of the week, Monday first (charts).
    "weekday.0": {ZH: "周一", EN: "Mon"},
    "weekday.1": {ZH: "周二", EN: "Tue"},
    "weekday.2": {ZH: "周三", EN: "Wed"},
    "weekday.3": {ZH: "周四", EN: "Thu"},
    "weekday.4": {ZH: "周五", EN: "Fri"},
    "weekday.5": {ZH: "周六", EN: "Sat"},
    "weekday.6": {ZH: "周日", EN: "Sun"},
}
