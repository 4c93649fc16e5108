"""A check URL with a credential in its query (`?apikey=${KEY}`): `evaluate` neither prints it
(JSON, HTML, console) nor sends it anywhere but the address the check names."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from monitor.governance.evaluate.security import https_fallback
from tests.evaluate.test_cli import monitor, site_args
from tests.support.baseline_servers import RunningSite

KEY = "kq-evaluate-apikey-7c41e9"


def test_the_https_fallback_carries_the_host_only() -> None:
    assert https_fallback(f"http://10.0.0.1:8080/app?apikey={KEY}&x=1") == "https://10.0.0.1/"
    assert https_fallback("http://user:pw@[::1]:81/p") == "https://[::1]/"


async def test_a_key_in_the_url_never_reaches_the_output(site: RunningSite,
                                                         tmp_path: Path) -> None:
    url = f"{site.url}?apikey={KEY}"
    for fmt in ("json", "html"):
        out = tmp_path / f"report.{fmt}"
        code, stdout, stderr = await monitor(*site_args(site, "--url", url, "--format", fmt,
                                                        "--out", str(out)))
        assert code == 0, stderr
        written = out.read_text(encoding="utf-8")
        for text in (stdout, stderr, written):
            assert KEY not in text
    doc = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert doc["target"] == f"{site.url}?apikey=***"


async def test_a_key_from_the_environment_is_masked_whatever_its_name(
    site: RunningSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `k` is no name a pattern would know: only the registry of substituted values can tell.
    config = tmp_path / "config.yaml"
    config.write_text(textwrap.dedent(f"""\
        service:
          data_dir: "{tmp_path / 'data'}"
        apps:
          - id: "kq-oa"
            name: "柯桥区协同办公"
            checks:
              - id: "home"
                kind: "http"
                url: "{site.url}?k=${{KQ_KEY}}"
        """), encoding="utf-8")
    monkeypatch.setenv("KQ_KEY", KEY)
    code, stdout, stderr = await monitor(*site_args(site, "--config", str(config),
                                                    "--app", "kq-oa"))
    assert code == 0, stderr
    assert KEY not in stdout
    assert KEY not in stderr
