"""Shared values of the traffic tests."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 2026-11-24 12:00 in Shanghai: midday, so a few scrapes never cross midnight by accident.
T_NOON = dt.datetime(2026, 11, 24, 12, 0, tzinfo=SHANGHAI).timestamp()
TODAY = "2026-11-24"
TOKEN = "secret-token-traffic-7c1e"


def config_yaml(data_dir: Path, traffic: str = "") -> str:
    """Apps kq-oa (with `traffic`, YAML of its traffic mapping, if given) and kq-jczz."""
    block = ""
    if traffic:
        block = "    traffic:\n" + textwrap.indent(
            textwrap.dedent(traffic).strip("\n"), " " * 6) + "\n"
    head = textwrap.dedent(f"""\
        service:
          listen: "127.0.0.1:0"
          data_dir: "{data_dir}"
          timezone: "Asia/Shanghai"
          api_tokens:
            - name: "oa-app"
              token: "{TOKEN}"
        apps:
          - id: "kq-oa"
            name: "柯桥区协同办公"
            department: "区大数据中心"
            tier: 1
            url: "http://127.0.0.1:9/"
        """)
    tail = ('  - id: "kq-jczz"\n    name: "基层智治"\n    department: "区委政法委"\n'
            '    tier: 2\n    url: "http://127.0.0.1:9/"\n')
    return head + block + tail
