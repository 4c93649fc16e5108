"""The pre-listing evaluation: items, findings and verdicts."""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
    'dim.security': {
        ZH: '安全基线',
        EN: 'Security baseline',
    },
    'dim.availability': {
        ZH: '可用性',
        EN: 'Availability',
    },
    'dim.performance': {
        ZH: '性能',
        EN: 'Performance',
    },
    'dim.traffic': {
        ZH: '访问量',
        EN: 'Traffic',
    },
    'status.pass': {
        ZH: '通过',
        EN: 'pass',
    },
    'status.warn': {
        ZH: '警告',
        EN: 'warning',
    },
    'status.fail': {
        ZH: '不通过',
        EN: 'fail',
    },
    'status.unknown': {
        ZH: '未知',
        EN: 'unknown',
    },
    'verdict.pass': {
        ZH: '通过',
        EN: 'Pass',
    },
    'verdict.conditional': {
        ZH: '条件通过',
        EN: 'Conditional pass',
    },
    'verdict.fail': {
        ZH: '不通过',
        EN: 'Fail',
    },
    'title.https_redirect': {
        ZH: 'HTTP 跳转 HTTPS',
        EN: 'HTTP redirects to HTTPS',
    },
    'title.tls_version': {
        ZH: 'TLS 协议版本 ≥ 1.2',
        EN: 'TLS version ≥ 1.2',
    },
    'title.tls_legacy': {
        ZH: '拒绝 TLS 1.0/1.1',
        EN: 'TLS 1.0/1.1 refused',
    },
    'title.cert_valid': {
        ZH: '证书有效且剩余 ≥ 30 天',
        EN: 'Certificate valid, ≥ 30 days left',
    },
    'title.hsts': {
        ZH: 'HSTS 严格传输安全',
        EN: 'HSTS',
    },
    'title.x_frame_options': {
        ZH: '防点击劫持 X-Frame-Options',
        EN: 'Clickjacking: X-Frame-Options',
    },
    'title.x_content_type_options': {
        ZH: 'X-Content-Type-Options: nosniff',
        EN: 'X-Content-Type-Options: nosniff',
    },
    'title.csp': {
        ZH: '内容安全策略 CSP',
        EN: 'Content-Security-Policy',
    },
    'title.server_version': {
        ZH: 'Server 头不泄露版本',
        EN: 'No version in Server',
    },
    'title.x_powered_by': {
        ZH: 'X-Powered-By 不泄露版本',
        EN: 'No version in X-Powered-By',
    },
    'title.high_risk_ports': {
        ZH: '高危端口未开放',
        EN: 'No high-risk ports open',
    },
    'title.availability': {
        ZH: '可用率 ≥ 99%',
        EN: 'Availability ≥ 99%',
    },
    'title.trial_coverage': {
        ZH: '试运行数据覆盖',
        EN: 'Trial data coverage',
    },
    'title.latency_p95': {
        ZH: '响应时间 P95',
        EN: 'Response time p95',
    },
    'title.traffic_visitors': {
        ZH: '试运行访问量',
        EN: 'Visitors during the trial',
    },
    'redirect.ok': {
        ZH: '{url} 以 {status} 跳转到 {location}',
        EN: '{url} answers {status}, redirecting to {location}',
    },
    'redirect.none': {
        ZH: '{url} 返回 {status}，未跳转到 HTTPS',
        EN: '{url} answers {status} without redirecting to HTTPS',
    },
    'redirect.not_https': {
        ZH: '{url} 以 {status} 跳转到 {location}，不是 HTTPS',
        EN: '{url} redirects ({status}) to {location}, which is not HTTPS',
    },
    'redirect.odd_status': {
        ZH: '{url} 以 {status} 跳转到 HTTPS（应为 301/302/307/308）',
        EN: '{url} redirects to HTTPS with {status} (expected 301/302/307/308)',
    },
    'redirect.closed': {
        ZH: '{url} 无法连接（{error}）：输入 http:// 地址的用户得不到跳转',
        EN: '{url} is not reachable ({error}): users typing http:// get no redirect',
    },
    'redirect.error': {
        ZH: '{url} 请求失败：{error}',
        EN: '{url} failed: {error}',
    },
    'https.unreachable': {
        ZH: 'HTTPS 无法建立连接：{error}',
        EN: 'HTTPS connection failed: {error}',
    },
    'tls.ok': {
        ZH: '协商版本 {version}',
        EN: 'negotiated {version}',
    },
    'tls.old': {
        ZH: '协商版本 {version}，低于 TLS 1.2',
        EN: 'negotiated {version}, older than TLS 1.2',
    },
    'legacy.refused': {
        ZH: '服务器拒绝 {versions}',
        EN: 'the server refuses {versions}',
    },
    'legacy.accepted': {
        ZH: '服务器仍接受 {versions}',
        EN: 'the server still accepts {versions}',
    },
    'legacy.untested': {
        ZH: '本机 OpenSSL 无法发起 {versions} 握手，未能检测',
        EN: "this machine's OpenSSL cannot offer {versions}; not tested",
    },
    'cert.ok': {
        ZH: '证书有效，剩余 {days} 天（至 {not_after}），签发者 {issuer}',
        EN: 'valid, {days} days left (until {not_after}), issued by {issuer}',
    },
    'cert.expiring': {
        ZH: '证书剩余 {days} 天，少于 {min} 天（至 {not_after}）',
        EN: '{days} days left, fewer than {min} (until {not_after})',
    },
    'cert.expired': {
        ZH: '证书已过期或尚未生效：{error}',
        EN: 'expired or not yet valid: {error}',
    },
    'cert.hostname': {
        ZH: '证书与域名不匹配：{error}',
        EN: 'does not match the host name: {error}',
    },
    'cert.untrusted': {
        ZH: '证书不受信任：{error}',
        EN: 'not trusted: {error}',
    },
    'headers.unreachable': {
        ZH: '无法取得 HTTPS 响应头：{error}',
        EN: 'could not read the HTTPS response headers: {error}',
    },
    'hsts.ok': {
        ZH: 'max-age={age}（≥ {min} 秒，即 180 天）',
        EN: 'max-age={age} (≥ {min} s, 180 days)',
    },
    'hsts.short': {
        ZH: 'max-age={age}，短于 {min} 秒（180 天）',
        EN: 'max-age={age}, shorter than {min} s (180 days)',
    },
    'hsts.invalid': {
        ZH: 'Strict-Transport-Security 无有效 max-age：{value}',
        EN: 'Strict-Transport-Security has no valid max-age: {value}',
    },
    'hsts.missing': {
        ZH: '未设置 Strict-Transport-Security',
        EN: 'no Strict-Transport-Security header',
    },
    'xfo.ok': {
        ZH: 'X-Frame-Options: {value}',
        EN: 'X-Frame-Options: {value}',
    },
    'xfo.csp': {
        ZH: 'CSP 已设置 frame-ancestors',
        EN: 'CSP sets frame-ancestors',
    },
    'xfo.weak': {
        ZH: 'X-Frame-Options: {value} 无效或已废弃（应为 DENY 或 SAMEORIGIN）',
        EN: 'X-Frame-Options: {value} is invalid or obsolete (use DENY or SAMEORIGIN)',
    },
    'xfo.missing': {
        ZH: '未设置 X-Frame-Options，CSP 也没有 frame-ancestors',
        EN: 'no X-Frame-Options, and no CSP frame-ancestors',
    },
    'nosniff.ok': {
        ZH: 'X-Content-Type-Options: nosniff',
        EN: 'X-Content-Type-Options: nosniff',
    },
    'nosniff.wrong': {
        ZH: 'X-Content-Type-Options 为 {value}，应为 nosniff',
        EN: 'X-Content-Type-Options is {value}, expected nosniff',
    },
    'nosniff.missing': {
        ZH: '未设置 X-Content-Type-Options',
        EN: 'no X-Content-Type-Options header',
    },
    'csp.ok': {
        ZH: '已设置 Content-Security-Policy',
        EN: 'Content-Security-Policy is set',
    },
    'csp.report_only': {
        ZH: '仅有 Content-Security-Policy-Report-Only（只报告、不拦截）',
        EN: 'only Content-Security-Policy-Report-Only (reports, blocks nothing)',
    },
    'csp.missing': {
        ZH: '未设置 Content-Security-Policy',
        EN: 'no Content-Security-Policy header',
    },
    'version.leak': {
        ZH: '{header}: {value} 泄露了版本号',
        EN: '{header}: {value} reveals a version',
    },
    'version.ok': {
        ZH: '{header}: {value}，未泄露版本',
        EN: '{header}: {value}, no version',
    },
    'version.absent': {
        ZH: '未返回 {header}',
        EN: 'no {header} header',
    },
    'ports.open': {
        ZH: '{host} 开放了 {ports}',
        EN: '{host} has open: {ports}',
    },
    'ports.closed': {
        ZH: '{host} 的 {count} 个高危端口均未开放（连接超时 {timeout}）',
        EN: 'none of {count} high-risk ports is open on {host} (connect timeout {timeout})',
    },
    'ports.skipped': {
        ZH: '未指定端口，未检查',
        EN: 'no ports given; not checked',
    },
    'ports.unresolved': {
        ZH: '{host} 无法解析：{error}',
        EN: '{host} does not resolve: {error}',
    },
    'availability.ok': {
        ZH: '{runs} 次探测，失败 {failures} 次，可用率 {pct}%（≥ {min}%）',
        EN: '{runs} probes, {failures} failed: {pct}% available (≥ {min}%)',
    },
    'availability.low': {
        ZH: '{runs} 次探测，失败 {failures} 次，可用率 {pct}%，低于 {min}%{errors}',
        EN: '{runs} probes, {failures} failed: {pct}% available, under {min}%{errors}',
    },
    'availability.errors': {
        ZH: '；主要错误：{errors}',
        EN: '; errors: {errors}',
    },
    'coverage.ok': {
        ZH: '试运行期 {days} 天中 {hours} 小时有探测数据（{pct}%）',
        EN: '{hours} hours of the {days}-day trial have probe data ({pct}%)',
    },
    'coverage.short': {
        ZH: '试运行期 {days} 天中仅 {hours} 小时有探测数据（{pct}%，应 ≥ 90%）',
        EN: 'only {hours} hours of the {days}-day trial have probe data ({pct}%, expected ≥ 90%)',
    },
    'latency.ok': {
        ZH: 'P50 {p50}，P95 {p95}（≤ {warn}）',
        EN: 'p50 {p50}, p95 {p95} (≤ {warn})',
    },
    'latency.slow': {
        ZH: 'P50 {p50}，P95 {p95}，超过 {limit}',
        EN: 'p50 {p50}, p95 {p95}, over {limit}',
    },
    'latency.none': {
        ZH: '没有成功的响应，无法计算响应时间',
        EN: 'no successful response, so no response time',
    },
    'latency.histogram': {
        ZH: '（按小时直方图合并，误差约 ±5%）',
        EN: ' (merged hourly histograms, within about ±5%)',
    },
    'traffic.unknown': {
        ZH: '暂无访问量数据：访问量来源接入后将自动评估',
        EN: 'no traffic data yet: judged once a traffic source is connected',
    },
    'traffic.ok': {
        ZH: '试运行期独立访客 {visitors} 人（阈值 {threshold}）',
        EN: '{visitors} unique visitors during the trial (threshold {threshold})',
    },
    'traffic.low': {
        ZH: '试运行期独立访客 {visitors} 人，低于 {threshold}（低频风险）',
        EN: '{visitors} unique visitors during the trial, under {threshold} (low-frequency risk)',
    },
    'traffic.zero': {
        ZH: '试运行期没有访客（僵尸应用风险）',
        EN: 'no visitors during the trial (zombie risk)',
    },
    'source.ledger': {
        ZH: '监控账本：{start} 至 {end} 的每小时汇总（{checks} 项检查）',
        EN: 'monitor ledger: hourly rollups {start} to {end} ({checks} checks)',
    },
    'source.burst': {
        ZH: '即时探测：{runs} 次请求，间隔 {interval}，单次超时 {timeout}',
        EN: 'burst: {runs} requests {interval} apart, timeout {timeout} each',
    },
    'source.no_ledger': {
        ZH: '账本中没有该应用近 {days} 天的数据，改用即时探测',
        EN: (
            'the ledger holds no data for this app in the last {days} days; used a burst of probe'
            's instead'
        ),
    },
    'source.traffic': {
        ZH: '访问量来源：{source}',
        EN: 'traffic source: {source}',
    },
    'reason': {
        ZH: '{dimension} · {title}：{detail}',
        EN: '{dimension} · {title}: {detail}',
    },
    'page.title': {
        ZH: '应用上架前评估报告',
        EN: 'Pre-listing evaluation',
    },
    'page.target': {
        ZH: '评估对象',
        EN: 'Target',
    },
    'page.app': {
        ZH: '应用',
        EN: 'App',
    },
    'page.time': {
        ZH: '评估时间',
        EN: 'Evaluated at',
    },
    'page.verdict': {
        ZH: '评估结论',
        EN: 'Verdict',
    },
    'page.score': {
        ZH: '综合评分',
        EN: 'Overall score',
    },
    'page.reasons': {
        ZH: '问题清单',
        EN: 'Findings',
    },
    'page.no_reasons': {
        ZH: '未发现问题。',
        EN: 'Nothing found.',
    },
    'page.dimensions': {
        ZH: '分项评分',
        EN: 'Scores by dimension',
    },
    'page.source': {
        ZH: '数据来源：{source}',
        EN: 'Source: {source}',
    },
    'page.notes': {
        ZH: '说明',
        EN: 'Notes',
    },
    'page.rules': {
        ZH: '评分与结论规则',
        EN: 'How scores and the verdict are decided',
    },
    'page.no_score': {
        ZH: '—',
        EN: '—',
    },
    'rules.verdict_fail': {
        ZH: (
            '不通过：HTTP 跳转 HTTPS、TLS 版本、旧版 TLS、证书、高危端口任一项不通过，或可用率低'
            '于 99%、P95 响应时间超过 15 秒。'
        ),
        EN: (
            'Fail: any fail in the HTTPS redirect, TLS version, old TLS versions, certificate or '
            'high-risk ports, or availability under 99%, or p95 over 15 s.'
        ),
    },
    'rules.verdict_conditional': {
        ZH: (
            '条件通过：没有上述问题，但有警告或安全响应头缺失、版本泄露等其他不通过项，整改后上架'
            '。'
        ),
        EN: (
            'Conditional pass: none of the above, but warnings or other failed items (missing sec'
            'urity headers, version leaks): list after fixing them.'
        ),
    },
    'rules.verdict_pass': {
        ZH: '通过：全部检查项通过。',
        EN: 'Pass: every check passes.',
    },
    'rules.score': {
        ZH: (
            '分项评分：通过 100 分、警告 60 分、不通过 0 分，阻断项权重 2、其他项权重 1，取加权平'
            '均；未知项不计。综合评分：安全 40%、可用性 30%、性能 20%、访问量 10%，无数据的分项不'
            '计入并按比例折算；结论为不通过时综合评分最高 59 分。'
        ),
        EN: (
            'Dimension score: pass 100, warning 60, fail 0, blocking checks weigh 2 and others 1,'
            ' weighted mean; unknown items are left out. Overall: security 40%, availability 30%,'
            ' performance 20%, traffic 10%, dimensions without data left out and the rest rescale'
            'd; a failing evaluation scores at most 59.'
        ),
    },
    'rules.thresholds': {
        ZH: (
            '阈值：证书剩余少于 30 天为警告；HSTS max-age 至少 15552000 秒（180 天）；P95 超过 3 '
            '秒为警告、超过 15 秒为不通过；可用率低于 99% 为不通过。'
        ),
        EN: (
            'Thresholds: under 30 certificate days is a warning; HSTS max-age at least 15552000 s'
            ' (180 days); p95 over 3 s warns, over 15 s fails; availability under 99% fails.'
        ),
    },
}
