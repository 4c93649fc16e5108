"""Why a probe run failed (reason codes, see monitor.core.reasons)."""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
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
    "refused": {
        ZH: "连接被拒绝（{addresses} 端口 {port}）",
        EN: "connection refused ({addresses} port {port})",
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
    "monitor.resources": {
        ZH: "监测服务本机资源耗尽：{why}", EN: "this machine: {why}",
    },
}
