"""The evaluation's words, zh-CN (default) and en. Kept apart from monitor.core.i18n, which other
pieces share, so the evaluation's many detail lines do not crowd it."""

from __future__ import annotations

from typing import Final

ZH: Final = "zh-CN"
EN: Final = "en"

_T: Final[dict[str, tuple[str, str]]] = {
    # Dimensions, statuses, verdicts.
    "dim.security": ("安全基线", "Security baseline"),
    "dim.availability": ("可用性", "Availability"),
    "dim.performance": ("性能", "Performance"),
    "dim.traffic": ("访问量", "Traffic"),
    "status.pass": ("通过", "pass"),
    "status.warn": ("警告", "warning"),
    "status.fail": ("不通过", "fail"),
    "status.unknown": ("未知", "unknown"),
    "verdict.pass": ("通过", "Pass"),
    "verdict.conditional": ("条件通过", "Conditional pass"),
    "verdict.fail": ("不通过", "Fail"),
    # Check titles.
    "title.https_redirect": ("HTTP 跳转 HTTPS", "HTTP redirects to HTTPS"),
    "title.tls_version": ("TLS 协议版本 ≥ 1.2", "TLS version ≥ 1.2"),
    "title.tls_legacy": ("拒绝 TLS 1.0/1.1", "TLS 1.0/1.1 refused"),
    "title.cert_valid": ("证书有效且剩余 ≥ 30 天", "Certificate valid, ≥ 30 days left"),
    "title.hsts": ("HSTS 严格传输安全", "HSTS"),
    "title.x_frame_options": ("防点击劫持 X-Frame-Options", "Clickjacking: X-Frame-Options"),
    "title.x_content_type_options": ("X-Content-Type-Options: nosniff",
                                     "X-Content-Type-Options: nosniff"),
    "title.csp": ("内容安全策略 CSP", "Content-Security-Policy"),
    "title.server_version": ("Server 头不泄露版本", "No version in Server"),
    "title.x_powered_by": ("X-Powered-By 不泄露版本", "No version in X-Powered-By"),
    "title.high_risk_ports": ("高危端口未开放", "No high-risk ports open"),
    "title.availability": ("可用率 ≥ 99%", "Availability ≥ 99%"),
    "title.trial_coverage": ("试运行数据覆盖", "Trial data coverage"),
    "title.latency_p95": ("响应时间 P95", "Response time p95"),
    "title.traffic_visitors": ("试运行访问量", "Visitors during the trial"),
    # Security details.
    "redirect.ok": ("{url} 以 {status} 跳转到 {location}",
                    "{url} answers {status}, redirecting to {location}"),
    "redirect.none": ("{url} 返回 {status}，未跳转到 HTTPS",
                      "{url} answers {status} without redirecting to HTTPS"),
    "redirect.not_https": ("{url} 以 {status} 跳转到 {location}，不是 HTTPS",
                           "{url} redirects ({status}) to {location}, which is not HTTPS"),
    "redirect.odd_status": ("{url} 以 {status} 跳转到 HTTPS（应为 301/302/307/308）",
                            "{url} redirects to HTTPS with {status} (expected 301/302/307/308)"),
    "redirect.closed": ("{url} 无法连接（{error}）：输入 http:// 地址的用户得不到跳转",
                        "{url} is not reachable ({error}): users typing http:// get no redirect"),
    "redirect.error": ("{url} 请求失败：{error}", "{url} failed: {error}"),
    "https.unreachable": ("HTTPS 无法建立连接：{error}", "HTTPS connection failed: {error}"),
    "tls.ok": ("协商版本 {version}", "negotiated {version}"),
    "tls.old": ("协商版本 {version}，低于 TLS 1.2", "negotiated {version}, older than TLS 1.2"),
    "legacy.refused": ("服务器拒绝 {versions}", "the server refuses {versions}"),
    "legacy.accepted": ("服务器仍接受 {versions}", "the server still accepts {versions}"),
    "legacy.untested": (
        "本机 OpenSSL 无法发起 {versions} 握手，未能检测",
        "this machine's OpenSSL cannot offer {versions}; not tested",
    ),
    "cert.ok": ("证书有效，剩余 {days} 天（至 {not_after}），签发者 {issuer}",
                "valid, {days} days left (until {not_after}), issued by {issuer}"),
    "cert.expiring": ("证书剩余 {days} 天，少于 {min} 天（至 {not_after}）",
                      "{days} days left, fewer than {min} (until {not_after})"),
    "cert.expired": ("证书已过期或尚未生效：{error}", "expired or not yet valid: {error}"),
    "cert.hostname": ("证书与域名不匹配：{error}", "does not match the host name: {error}"),
    "cert.untrusted": ("证书不受信任：{error}", "not trusted: {error}"),
    "headers.unreachable": ("无法取得 HTTPS 响应头：{error}",
                            "could not read the HTTPS response headers: {error}"),
    "hsts.ok": ("max-age={age}（≥ {min} 秒，即 180 天）", "max-age={age} (≥ {min} s, 180 days)"),
    "hsts.short": ("max-age={age}，短于 {min} 秒（180 天）",
                   "max-age={age}, shorter than {min} s (180 days)"),
    "hsts.invalid": ("Strict-Transport-Security 无有效 max-age：{value}",
                     "Strict-Transport-Security has no valid max-age: {value}"),
    "hsts.missing": ("未设置 Strict-Transport-Security", "no Strict-Transport-Security header"),
    "xfo.ok": ("X-Frame-Options: {value}", "X-Frame-Options: {value}"),
    "xfo.csp": ("CSP 已设置 frame-ancestors", "CSP sets frame-ancestors"),
    "xfo.weak": ("X-Frame-Options: {value} 无效或已废弃（应为 DENY 或 SAMEORIGIN）",
                 "X-Frame-Options: {value} is invalid or obsolete (use DENY or SAMEORIGIN)"),
    "xfo.missing": ("未设置 X-Frame-Options，CSP 也没有 frame-ancestors",
                    "no X-Frame-Options, and no CSP frame-ancestors"),
    "nosniff.ok": ("X-Content-Type-Options: nosniff", "X-Content-Type-Options: nosniff"),
    "nosniff.wrong": ("X-Content-Type-Options 为 {value}，应为 nosniff",
                      "X-Content-Type-Options is {value}, expected nosniff"),
    "nosniff.missing": ("未设置 X-Content-Type-Options", "no X-Content-Type-Options header"),
    "csp.ok": ("已设置 Content-Security-Policy", "Content-Security-Policy is set"),
    "csp.report_only": ("仅有 Content-Security-Policy-Report-Only（只报告、不拦截）",
                        "only Content-Security-Policy-Report-Only (reports, blocks nothing)"),
    "csp.missing": ("未设置 Content-Security-Policy", "no Content-Security-Policy header"),
    "version.leak": ("{header}: {value} 泄露了版本号", "{header}: {value} reveals a version"),
    "version.ok": ("{header}: {value}，未泄露版本", "{header}: {value}, no version"),
    "version.absent": ("未返回 {header}", "no {header} header"),
    "ports.open": ("{host} 开放了 {ports}", "{host} has open: {ports}"),
    "ports.closed": ("{host} 的 {count} 个高危端口均未开放（连接超时 {timeout}）",
                     "none of {count} high-risk ports is open on {host} "
                     "(connect timeout {timeout})"),
    "ports.skipped": ("未指定端口，未检查", "no ports given; not checked"),
    "ports.unresolved": ("{host} 无法解析：{error}", "{host} does not resolve: {error}"),
    # Availability, performance, traffic.
    "availability.ok": ("{runs} 次探测，失败 {failures} 次，可用率 {pct}%（≥ {min}%）",
                        "{runs} probes, {failures} failed: {pct}% available (≥ {min}%)"),
    "availability.low": ("{runs} 次探测，失败 {failures} 次，可用率 {pct}%，低于 {min}%{errors}",
                         "{runs} probes, {failures} failed: {pct}% available, "
                         "under {min}%{errors}"),
    "availability.errors": ("；主要错误：{errors}", "; errors: {errors}"),
    "coverage.ok": ("试运行期 {days} 天中 {hours} 小时有探测数据（{pct}%）",
                    "{hours} hours of the {days}-day trial have probe data ({pct}%)"),
    "coverage.short": ("试运行期 {days} 天中仅 {hours} 小时有探测数据（{pct}%，应 ≥ 90%）",
                       "only {hours} hours of the {days}-day trial have probe data "
                       "({pct}%, expected ≥ 90%)"),
    "latency.ok": ("P50 {p50}，P95 {p95}（≤ {warn}）", "p50 {p50}, p95 {p95} (≤ {warn})"),
    "latency.slow": ("P50 {p50}，P95 {p95}，超过 {limit}", "p50 {p50}, p95 {p95}, over {limit}"),
    "latency.none": ("没有成功的响应，无法计算响应时间",
                     "no successful response, so no response time"),
    "latency.histogram": ("（按小时直方图合并，误差约 ±5%）",
                          " (merged hourly histograms, within about ±5%)"),
    "traffic.unknown": ("暂无访问量数据：访问量来源接入后将自动评估",
                        "no traffic data yet: judged once a traffic source is connected"),
    "traffic.ok": ("试运行期独立访客 {visitors} 人（阈值 {threshold}）",
                   "{visitors} unique visitors during the trial (threshold {threshold})"),
    "traffic.low": ("试运行期独立访客 {visitors} 人，低于 {threshold}（低频风险）",
                    "{visitors} unique visitors during the trial, under {threshold} "
                    "(low-frequency risk)"),
    "traffic.zero": ("试运行期没有访客（僵尸应用风险）",
                     "no visitors during the trial (zombie risk)"),
    "source.ledger": ("监控账本：{start} 至 {end} 的每小时汇总（{checks} 项检查）",
                      "monitor ledger: hourly rollups {start} to {end} ({checks} checks)"),
    "source.burst": ("即时探测：{runs} 次请求，间隔 {interval}，单次超时 {timeout}",
                     "burst: {runs} requests {interval} apart, timeout {timeout} each"),
    "source.no_ledger": ("账本中没有该应用近 {days} 天的数据，改用即时探测",
                         "the ledger holds no data for this app in the last {days} days; "
                         "used a burst of probes instead"),
    "source.traffic": ("访问量来源：{source}", "traffic source: {source}"),
    "reason": ("{dimension} · {title}：{detail}", "{dimension} · {title}: {detail}"),
    # The HTML page.
    "page.title": ("应用上架前评估报告", "Pre-listing evaluation"),
    "page.target": ("评估对象", "Target"),
    "page.app": ("应用", "App"),
    "page.time": ("评估时间", "Evaluated at"),
    "page.verdict": ("评估结论", "Verdict"),
    "page.score": ("综合评分", "Overall score"),
    "page.reasons": ("问题清单", "Findings"),
    "page.no_reasons": ("未发现问题。", "Nothing found."),
    "page.dimensions": ("分项评分", "Scores by dimension"),
    "page.source": ("数据来源：{source}", "Source: {source}"),
    "page.notes": ("说明", "Notes"),
    "page.rules": ("评分与结论规则", "How scores and the verdict are decided"),
    "page.no_score": ("—", "—"),
    "rules.verdict_fail": (
        "不通过：HTTP 跳转 HTTPS、TLS 版本、旧版 TLS、证书、高危端口任一项不通过，"
        "或可用率低于 99%、P95 响应时间超过 15 秒。",
        "Fail: any fail in the HTTPS redirect, TLS version, old TLS versions, certificate or "
        "high-risk ports, or availability under 99%, or p95 over 15 s.",
    ),
    "rules.verdict_conditional": (
        "条件通过：没有上述问题，但有警告或安全响应头缺失、版本泄露等其他不通过项，整改后上架。",
        "Conditional pass: none of the above, but warnings or other failed items (missing "
        "security headers, version leaks): list after fixing them.",
    ),
    "rules.verdict_pass": ("通过：全部检查项通过。", "Pass: every check passes."),
    "rules.score": (
        "分项评分：通过 100 分、警告 60 分、不通过 0 分，阻断项权重 2、其他项权重 1，取加权平均；"
        "未知项不计。综合评分：安全 40%、可用性 30%、性能 20%、访问量 10%，"
        "无数据的分项不计入并按比例折算；结论为不通过时综合评分最高 59 分。",
        "Dimension score: pass 100, warning 60, fail 0, blocking checks weigh 2 and others 1, "
        "weighted mean; unknown items are left out. Overall: security 40%, availability 30%, "
        "performance 20%, traffic 10%, dimensions without data left out and the rest "
        "rescaled; a failing evaluation scores at most 59.",
    ),
    "rules.thresholds": (
        "阈值：证书剩余少于 30 天为警告；HSTS max-age 至少 15552000 秒（180 天）；"
        "P95 超过 3 秒为警告、超过 15 秒为不通过；可用率低于 99% 为不通过。",
        "Thresholds: under 30 certificate days is a warning; HSTS max-age at least 15552000 s "
        "(180 days); p95 over 3 s warns, over 15 s fails; availability under 99% fails.",
    ),
}


def t(lang: str, key: str, **values: object) -> str:
    """The message `key` in `lang` (zh-CN for anything but en), formatted with `values`."""
    zh, en = _T[key]
    template = en if lang == EN else zh
    return template.format(**values) if values else template


def has(key: str) -> bool:
    return key in _T
