"""Why a probe run failed (reason codes, see monitor.core.reasons)."""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
    # What a passing run saw (the `check` command's table, the console).
    "ok.http": {ZH: "HTTP {status}，用时 {took_s}", EN: "HTTP {status} in {took_s}"},
    "ok.flow": {ZH: "{steps} 个步骤，用时 {took_s}", EN: "{steps} steps in {took_s}"},
    "ok.tcp": {ZH: "已连接 {address}:{port}", EN: "connected to {address}:{port}"},
    "ok.tcp_expect": {
        ZH: "已连接 {address}:{port}，收到“{expect}”",
        EN: "connected to {address}:{port}, got {expect!r}",
    },
    "ok.tls": {ZH: "{version}", EN: "{version}"},
    "ok.tls_days": {
        ZH: "{version}，证书还有 {days} 天到期",
        EN: "{version}, certificate valid for {days} more days",
    },
    "ok.dns": {ZH: "{name} {type} → {answers}", EN: "{name} {type} -> {answers}"},
    "step": {ZH: "步骤“{step}”：{detail}", EN: "step {step!r}: {detail}"},
    "status": {ZH: "状态码 {got}（期望 {wanted}）", EN: "status {got}, expected {wanted}"},
    "body_missing": {ZH: "页面未包含“{text}”", EN: "body does not contain {text!r}"},
    "body_missing_cut": {
        ZH: "页面未包含“{text}”（只读取了前 {bytes} 字节）",
        EN: "body does not contain {text!r} (only the first {bytes} bytes were read)",
    },
    "body_present": {ZH: "页面包含“{text}”", EN: "body contains {text!r}"},
    "regex_missing": {ZH: "页面不匹配 /{pattern}/", EN: "body does not match /{pattern}/"},
    "regex_missing_cut": {
        ZH: "页面不匹配 /{pattern}/（只读取了前 {bytes} 字节）",
        EN: "body does not match /{pattern}/ (only the first {bytes} bytes were read)",
    },
    "regex_present": {ZH: "页面匹配 /{pattern}/", EN: "body matches /{pattern}/"},
    "body_cut": {
        ZH: "页面在 {bytes} 字节处被截断（max_body），无法确认其中不含 {unwanted}",
        EN: "body cut at {bytes} bytes (max_body): cannot tell that it does not contain "
            "{unwanted}",
    },
    "json_cut": {
        ZH: "JSON 在 {bytes} 字节处被截断（max_body），请调大 max_body",
        EN: "JSON body cut at {bytes} bytes (max_body): raise max_body",
    },
    "json_value": {
        ZH: "JSON {path} 为 {actual}（期望 {expected}）",
        EN: "JSON {path} is {actual}, expected {expected}",
    },
    "slow": {ZH: "响应 {took_s}，超过上限 {limit_s}", EN: "answered in {took_s}, limit {limit_s}"},
    "timeout.connect": {
        ZH: "{limit_s} 内未能建立连接", EN: "connect not complete within {limit_s}",
    },
    "timeout.tls": {
        ZH: "{limit_s} 内未完成 TLS 握手", EN: "TLS handshake not complete within {limit_s}",
    },
    "timeout.dns": {ZH: "{limit_s} 内域名未解析", EN: "name not resolved within {limit_s}"},
    "timeout.body": {ZH: "{limit_s} 内页面未传完", EN: "body not complete within {limit_s}"},
    "timeout.response": {
        ZH: "{limit_s} 内无响应（等待首字节）",
        EN: "no response within {limit_s} (waiting for first byte)",
    },
    "redirect_loop": {ZH: "重定向循环：{chain}", EN: "redirect loop: {chain}"},
    "redirects": {ZH: "重定向超过 {max} 次", EN: "more than {max} redirects"},
    "closed_silently": {ZH: "连接被关闭，没有任何响应", EN: "connection closed without a response"},
    "closed_in_headers": {
        ZH: "响应头未传完连接即被关闭",
        EN: "connection closed in the middle of the response headers",
    },
    "headers_too_big": {
        ZH: "响应头共 {kib} KiB，超过浏览器接受的上限（{limit_kib} KiB）",
        EN: "response headers are {kib} KiB, more than a browser accepts ({limit_kib} KiB)",
    },
    "cert_expiring": {
        ZH: "证书 {days} 天后到期（少于 {min} 天）",
        EN: "certificate expires in {days} days (< {min})",
    },
    "proxy_tunnel": {
        ZH: "代理拒绝建立隧道（状态码 {status}）",
        EN: "the proxy answered {status} to the tunnel request",
    },
    "monitor.stalled": {
        ZH: "监测服务事件循环卡顿 {stall_s}，结果不计（探测所见：{seen}）",
        EN: "the monitor's event loop stalled for {stall_s} during the run (the probe saw: "
            "{seen})",
    },
    "monitor.stopping": {
        ZH: "监测服务正在停止，结果不计（探测所见：{seen}）",
        EN: "the monitor was shutting down during the run (the probe saw: {seen})",
    },
    "monitor.cut_off": {
        ZH: "监测服务本机网络中断，结果不计（探测所见：{seen}）",
        EN: "the monitor was cut off from the network (connectivity guard) (the probe saw: "
            "{seen})",
    },
    "monitor.ca_file": {
        ZH: "监测服务无法加载 CA 证书文件 {path}，结果不计（{detail}）",
        EN: "this monitor cannot load its CA file {path} ({detail}); the run is not counted",
    },
    "monitor.resources": {
        ZH: "监测服务本机资源耗尽：{why}", EN: "this machine: {why}",
    },

    # Wrappers: where a failure happened.
    "at_address": {
        ZH: "{inner}（{addresses} 端口 {port}）", EN: "{inner} ({addresses} port {port})",
    },
    "at_host": {ZH: "{inner}（{host}）", EN: "{inner} ({host})"},
    "at_target": {ZH: "{inner}（{target}）", EN: "{inner} ({target})"},
    # Network and connection.
    "timeout": {ZH: "超时", EN: "timed out"},
    "net.refused": {ZH: "连接被拒绝", EN: "connection refused"},
    "net.connect_timeout": {ZH: "连接超时", EN: "connect timed out"},
    "net.reset": {ZH: "连接被对方重置", EN: "connection reset by peer"},
    "net.aborted": {ZH: "连接被中止", EN: "network error: {detail}"},
    "net.unreachable": {ZH: "网络不可达", EN: "network error: {detail}"},
    "net.host_unreachable": {ZH: "主机不可达", EN: "network error: {detail}"},
    "net.error": {ZH: "网络错误：{detail}", EN: "network error: {detail}"},
    "net.other": {ZH: "网络错误：{type}: {detail}", EN: "{type}: {detail}"},
    "net.closed_early": {
        ZH: "应答未完整即被关闭连接", EN: "connection closed before a complete answer",
    },
    "proxy.unreachable": {
        ZH: "代理服务器无法连接：{inner}", EN: "proxy unreachable ({kind}): {inner}",
    },
    "internal": {ZH: "监测程序内部错误：{type}: {detail}", EN: "{type}: {detail}"},
    # HTTP.
    "http.body_unreadable": {
        ZH: "页面内容未能完整读取：{detail}", EN: "body could not be read: {detail}",
    },
    "http.invalid": {
        ZH: "不是有效的 HTTP 响应：{detail}", EN: "not a valid HTTP response: {detail}",
    },
    "http.bad_url": {ZH: "地址无效：{url}", EN: "bad URL {url!r}"},
    "redirect.bad_url": {
        ZH: "重定向到无效地址 {location}", EN: "redirect to a bad URL {location!r}: {detail}",
    },
    "redirect.not_http": {
        ZH: "重定向到非 HTTP 地址 {location}", EN: "redirect to a non-HTTP URL {location!r}",
    },
    # TLS and certificates.
    "tls.failed": {ZH: "TLS 握手失败：{detail}", EN: "TLS handshake failed: {detail}"},
    "tls.not_tls": {
        ZH: "该端口有应答，但不是 TLS", EN: "{inner} (the port answers, but not in TLS)",
    },
    "tls.cut": {
        ZH: "TLS 握手时连接被关闭（该端口可能不是 TLS）",
        EN: "connection closed during the TLS handshake (not a TLS port?)",
    },
    "tls.old_version": {
        ZH: "服务器协商的协议为 {version}，低于要求的 {minimum}",
        EN: "server negotiated {version}, older than {minimum}",
    },
    "cert.expired": {ZH: "证书已过期", EN: "certificate {detail}"},
    "cert.expired_ago": {
        ZH: "证书已于 {days} 天前过期（{not_after}）",
        EN: "certificate expired {days} days ago ({not_after})",
    },
    "cert.not_yet_valid": {ZH: "证书尚未生效", EN: "certificate {detail}"},
    "cert.not_before": {
        ZH: "证书在 {not_before} 之前无效", EN: "certificate not valid before {not_before}",
    },
    "cert.hostname": {ZH: "证书与域名不符", EN: "certificate {detail}"},
    "cert.ip_mismatch": {ZH: "证书与 IP 地址不符", EN: "certificate {detail}"},
    "cert.names": {
        ZH: "证书签发给 {names}，不是 {name}", EN: "certificate is for {names}, not {name}",
    },
    "cert.self_signed": {ZH: "证书不受信任：自签名证书", EN: "certificate not trusted: {detail}"},
    "cert.self_signed_chain": {
        ZH: "证书不受信任：证书链中有自签名证书", EN: "certificate not trusted: {detail}",
    },
    "cert.no_issuer": {
        ZH: "证书不受信任：找不到颁发者（证书链不完整或根证书不受信任）",
        EN: "certificate not trusted: {detail}",
    },
    "cert.unverifiable_leaf": {
        ZH: "证书不受信任：无法验证（缺少中间证书）", EN: "certificate not trusted: {detail}",
    },
    "cert.untrusted": {ZH: "证书不受信任：{detail}", EN: "certificate not trusted: {detail}"},
    # Name resolution.
    "dns.failed": {ZH: "域名无法解析：{detail}", EN: "name did not resolve: {detail}"},
    "dns.nxdomain": {ZH: "域名 {name} 不存在（NXDOMAIN）", EN: "{name} does not exist (NXDOMAIN)"},
    "dns.rcode": {
        ZH: "DNS 服务器对 {name} 的应答为 {rcode}", EN: "server answered {rcode} for {name}",
    },
    "dns.empty": {
        ZH: "{name} 没有 {type} 记录（NOERROR，应答为空）",
        EN: "no {type} record for {name} (NOERROR, empty answer)",
    },
    "dns.no_server": {
        ZH: "没有 DNS 服务器能解析 {name}", EN: "no name server could answer for {name}",
    },
    "dns.no_resolver": {ZH: "本机未配置 DNS 服务器", EN: "no system resolver is configured"},
    "dns.no_answer": {ZH: "{name} 无应答", EN: "no answer for {name}"},
    "dns.bad_name": {ZH: "域名 {name} 无效", EN: "invalid name {name!r}: {detail}"},
    "dns.silent": {
        ZH: "DNS 服务器 {server} 在 {limit_s} 内未应答",
        EN: "resolver {server} did not answer within {limit_s}",
    },
    "dns.malformed": {
        ZH: "DNS 服务器 {server} 的应答无法解析：{detail}",
        EN: "malformed reply from {server}: {detail}",
    },
    "dns.missing": {
        ZH: "{name} 的 {type} 记录缺少 {missing}（期望 {expected}，实际 {got}）",
        EN: "{name} {type}: missing {missing}; expected {expected}, got {got}",
    },
    "dns.no_family": {
        ZH: "{host} 没有所需类型（IPv4/IPv6）的地址",
        EN: "{host} has no address of the wanted family",
    },
    "dns.system_resolver": {ZH: "系统 DNS", EN: "system resolver"},
    # TCP conversations.
    "tcp.timeout.connect": {
        ZH: "{limit_s} 内未能建立连接", EN: "connect timed out after {limit_s}",
    },
    "tcp.timeout.dns": {
        ZH: "{limit_s} 内域名未解析", EN: "name resolution timed out after {limit_s}",
    },
    "tcp.timeout.tls": {
        ZH: "{limit_s} 内 TLS 握手无应答", EN: "TLS handshake got no answer within {limit_s}",
    },
    "tcp.timeout.send": {
        ZH: "对方 {limit_s} 内未接收数据", EN: "the peer took no data within {limit_s}",
    },
    "tcp.timeout.reply": {ZH: "{limit_s} 内无应答", EN: "no reply within {limit_s}"},
    "tcp.expect_timeout": {
        ZH: "{limit_s} 内未收到“{expect}”，收到：{got}",
        EN: "{expect!r} not received within {limit_s}: {got}",
    },
    "tcp.not_in_first": {
        ZH: "前 {bytes} 字节中没有“{expect}”：{got}",
        EN: "{expect!r} not in the first {bytes} bytes: {got}",
    },
    "tcp.closed_without": {
        ZH: "连接已关闭，未收到“{expect}”：{got}",
        EN: "connection closed without {expect!r}: {got}",
    },
    "tcp.closed_silent": {
        ZH: "连接已关闭，未收到“{expect}”，对方未发送任何数据",
        EN: "connection closed without {expect!r} before sending anything",
    },
    # JSON bodies and flow captures.
    "json.invalid": {
        ZH: "页面不是有效的 JSON（第 {line} 行第 {column} 列）",
        EN: "body is not valid JSON: {detail} at line {line} column {column}",
    },
    "json.undecodable": {
        ZH: "页面不是有效的 JSON（编码无法识别）", EN: "body is not valid JSON: {detail}",
    },
    "json.bad_path": {ZH: "JSON 路径写法有误：{detail}", EN: "{detail}"},
    "json.not_found": {
        ZH: "JSON 路径 {path} 不存在：{why}", EN: "JSON path {path!r} not found: {why}",
    },
    "json.no_index": {
        ZH: "{walked} 只有 {count} 项，没有第 [{segment}] 项",
        EN: "{walked} has {count} items, no [{segment}]",
    },
    "json.no_key": {ZH: "{walked} 中没有键“{key}”", EN: "no key {key!r} in {walked}"},
    "json.not_list": {ZH: "{walked} 不是数组", EN: "{walked} is {what}, not a list"},
    "json.not_object": {ZH: "{walked} 不是对象", EN: "{walked} is {what}, not an object"},
    "capture.failed": {ZH: "提取变量“{name}”失败：{inner}", EN: "capture {name!r}: {inner}"},
    "capture.no_header": {
        ZH: "响应中没有 {header} 头", EN: "no {header} header in the response",
    },
    "capture.nothing": {ZH: "未指定 json、regex 或 header", EN: "no json, regex or header given"},
    "capture.unknown_variable": {ZH: "未知变量“{name}”", EN: "unknown variable {name!r}"},
}
