"""The command line: help texts, argparse's own words, and what the commands say when they
cannot go on. Help is printed before any config is read: its language is MONITOR_LANG
(monitor.commands.words).

`argparse.*` entries translate argparse's own messages: their English is argparse's text
exactly (it is how they are found) and both languages keep its %-placeholders. Help texts are
%-formatted by argparse too, so a literal percent sign in a `help=` text is written %%.
"""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

_EVALUATE_EPILOG_ZH: Final = """\
退出码：0 通过或条件通过，1 不通过，2 参数错误（未知应用、URL 无效、配置无效）

结论：任一阻断项不通过即为不通过（HTTPS 跳转、TLS 版本、接受 TLS 1.0/1.1、证书、高危端口、
  可用性 < 99%、p95 > 15 秒）；只有警告项或其他项不通过时为条件通过（缺少安全响应头、
  泄露版本号）；否则为通过。

示例：
  python -m monitor evaluate --url https://oa.example.org/ --format html --out oa.html
  python -m monitor evaluate --config config/example.yaml --app kq-oa --format json

--ports：在应用主机上尝试的端口，逗号分隔，"none" 表示不检查；默认
  {ports}。
  测试把 --url 指向 127.0.0.1，并传入它们自己的监听程序占用的空闲端口。
--http-port：--url 为 https 时，检查明文 HTTP 跳转所用的端口（默认 80）。
--config/--app：可用性和延迟取自 service.data_dir 中的账本（最近 --trial-days 天的小时汇总）；
  没有账本数据时，取自 --burst 次即时探测。
"""

_EVALUATE_EPILOG_EN: Final = """\
exit status: 0 pass or conditional pass, 1 fail,
             2 bad arguments (unknown app, bad URL, invalid config)

verdict: fail when a blocking item fails (HTTPS redirect, TLS version, TLS 1.0/1.1 accepted,
  certificate, high-risk ports, availability < 99%, p95 > 15s); conditional when only
  warnings or other items fail (missing security headers, leaked versions); else pass.

examples:
  python -m monitor evaluate --url https://oa.example.org/ --format html --out oa.html
  python -m monitor evaluate --config config/example.yaml --app kq-oa --format json

--ports: the ports tried on the app's host, comma-separated, "none" to skip; default
  {ports}.
  Tests point --url at 127.0.0.1 and pass the free ports their own listeners hold.
--http-port: where plain HTTP is tried for the redirect when --url is https (default 80).
--config/--app: availability and latency come from the ledger in service.data_dir (last
  --trial-days of hourly rollups); without ledger data, from a burst of --burst probes.
"""

_INVENTORY_EPILOG_ZH: Final = """\
退出码：0 已写出，1 数据无法读取，2 参数或配置错误

分类（阈值见 DOMAIN.md；页面和 JSON 中的 "rules" 说明每个数字的算法）：
  zombie 僵尸              有记录的 90 天内没有访客（30 天为警告）、全部检查连续失败 30 天，
                           或没有登记负责人
  low_frequency 低频       连续 3 个完整月的月访客数（每日 uv 之和）< max(10, target_users 的 5%)
                           （1-2 个月为警告）
  low_availability 低可用  上一个完整月可用率 < 99%（不计维护时间），或最近 4 周中任一周
                           失败探测 >= 5%
整改期限：季度末前 15 天，且距今天至少 14 天、最晚为季度末。
"""

_INVENTORY_EPILOG_EN: Final = """\
exit status: 0 written, 1 the data cannot be read, 2 bad arguments or invalid config

classes (DOMAIN.md thresholds; the page and the JSON "rules" say how each figure is made):
  zombie             no visitor for 90 recorded days (30 = warning), every check failing for
                     30 days, or no owner on record
  low_frequency      monthly visitors (sum of daily uv) < max(10, 5% of target_users) for
                     3 full months running (1-2 = warning)
  low_availability   last full month < 99% (maintenance left out), or >= 5% failed probes in
                     any of the last 4 weeks
deadline: 15 days before the quarter end, at least 14 days from today, at most the quarter end.
"""

_LISTING_EPILOG_ZH: Final = """\
  python -m monitor listing show --config FILE
  python -m monitor listing set --config FILE --app kq-oa --status listed --by 张三
  python -m monitor listing sync --config FILE
  python -m monitor listing items --config FILE [--all]
  python -m monitor listing progress --config FILE --id ZG-20261124-kq-oa --note "已合并" --done

set 先运行上架前评估（同 evaluate --config FILE --app ID，探测选项相同），并把结论与变更一起
记录；评估不通过的应用不予上架，除非加 --force。sync 运行清单治理，新开、提醒和关闭整改项，
并把给负责人的通知放入发件箱（由运行中的服务发送；服务也会每隔 governance.audit_interval
自行同步）。可与运行中的服务同时使用（同一个 SQLite 文件，WAL）。
退出码：0 完成；1 被拒绝（评估不通过）或存储错误；2 参数错误。
"""

_LISTING_EPILOG_EN: Final = """\
  python -m monitor listing show --config FILE
  python -m monitor listing set --config FILE --app kq-oa --status listed --by ops
  python -m monitor listing sync --config FILE
  python -m monitor listing items --config FILE [--all]
  python -m monitor listing progress --config FILE --id ZG-20261124-kq-oa --note "merged" --done

`set` runs the pre-listing evaluation first (as `evaluate --config FILE --app ID`, same
probe options) and records its verdict with the change; listing an app that fails it is
refused unless --force. `sync` runs the inventory audit and opens, reminds and closes items,
queueing the owners' notices in the outbox (the running service sends them; it also syncs by
itself every governance.audit_interval). Safe beside a running service (same SQLite file, WAL).
Exit 0 done; 1 refused (evaluation failed) or storage error; 2 bad arguments.
"""

WORDS: Final[dict[str, dict[str, str]]] = {
    # argparse's own words (see the module docstring).
    "argparse.usage": {ZH: "用法：", EN: "usage: "},
    "argparse.positionals": {ZH: "位置参数", EN: "positional arguments"},
    "argparse.options": {ZH: "选项", EN: "options"},
    "argparse.help": {ZH: "显示此帮助信息并退出", EN: "show this help message and exit"},
    "argparse.error": {ZH: "%(prog)s：错误：%(message)s\n", EN: "%(prog)s: error: %(message)s\n"},
    "argparse.argument": {
        ZH: "参数 %(argument_name)s：%(message)s", EN: "argument %(argument_name)s: %(message)s",
    },
    "argparse.required": {
        ZH: "缺少必需的参数：%s", EN: "the following arguments are required: %s",
    },
    "argparse.one_of_required": {
        ZH: "必须给出参数 %s 之一", EN: "one of the arguments %s is required",
    },
    "argparse.unrecognized": {ZH: "无法识别的参数：%s", EN: "unrecognized arguments: %s"},
    "argparse.invalid_choice": {
        ZH: "无效的选择：%(value)r（可选：%(choices)s）",
        EN: "invalid choice: %(value)r (choose from %(choices)s)",
    },
    "argparse.invalid_value": {
        ZH: "无效的 %(type)s 值：%(value)r", EN: "invalid %(type)s value: %(value)r",
    },
    "argparse.expected_one": {ZH: "需要一个值", EN: "expected one argument"},
    "argparse.expected_at_most_one": {ZH: "最多只能有一个值", EN: "expected at most one argument"},
    "argparse.expected_at_least_one": {ZH: "至少需要一个值", EN: "expected at least one argument"},
    # argparse asks for this one through ngettext: the English is its singular form.
    "argparse.expected_n": {ZH: "需要 %s 个值", EN: "expected %s argument"},
    "argparse.ambiguous": {
        ZH: "选项有歧义：%(option)s 可匹配 %(matches)s",
        EN: "ambiguous option: %(option)s could match %(matches)s",
    },
    "argparse.not_allowed_with": {
        ZH: "不能与参数 %s 同时使用", EN: "not allowed with argument %s",
    },
    "argparse.ignored_explicit": {
        ZH: "忽略了显式给出的值 %r", EN: "ignored explicit argument %r",
    },
    "argparse.cannot_open": {
        ZH: "无法打开“%(filename)s”：%(error)s", EN: "can't open '%(filename)s': %(error)s",
    },
    "argparse.unknown_parser": {
        ZH: "未知的子命令 %(parser_name)r（可选：%(choices)s）",
        EN: "unknown parser %(parser_name)r (choices: %(choices)s)",
    },
    # The commands.
    "prog.description": {
        ZH: "浙政钉应用监控与故障响应服务",
        EN: "Monitoring and incident response for the district's government apps",
    },
    "help.config": {ZH: "配置文件（YAML）", EN: "config file (YAML)"},
    "help.app_only": {ZH: "只看该应用", EN: "only this app id"},
    "help.app_id": {ZH: "应用编号", EN: "the app id"},
    "help.out_dash": {ZH: "输出文件，- 表示标准输出", EN: "output file; - for stdout"},
    "help.json": {ZH: "输出 JSON", EN: "print JSON"},
    "help.table_json": {ZH: "输出格式：table 或 json", EN: "output format: table or json"},
    "cmd.run": {
        ZH: "在前台运行监控服务（SIGHUP 重新加载配置，SIGTERM/SIGINT 停止）",
        EN: "run the service in the foreground (SIGHUP reloads the config, SIGTERM/SIGINT "
            "stop it)",
    },
    "cmd.validate": {
        ZH: "校验配置并列出全部问题（退出码 0 有效，2 无效）",
        EN: "validate the config and list every problem (exit 0 valid, 2 invalid)",
    },
    "cmd.check": {
        ZH: "立即运行全部检查一次并打印结果表（退出码 0 全部正常，1 有故障，2 配置无效）",
        EN: "run every check once and print a table (exit 0 all up, 1 any down, 2 config "
            "invalid)",
    },
    "check.app": {ZH: "只检查该应用", EN: "only this app id"},
    "check.json": {ZH: "输出 JSON 而不是表格", EN: "print JSON instead of a table"},
    "cmd.report": {
        ZH: "生成报告：运维月报或故障分析报告（退出码 0 成功，2 参数错误）",
        EN: "reports: the monthly quality report or an incident's analysis (exit 0, 2 on bad "
            "arguments)",
    },
    "report.monthly": {ZH: "运维月报", EN: "monthly quality report"},
    "report.monthly_description": {
        ZH: "运维月报（CONTRACT.md §5）", EN: "monthly quality report (CONTRACT.md §5)",
    },
    "report.month": {
        ZH: "月份 YYYY-MM，按 service.timezone", EN: "the month YYYY-MM, in service.timezone",
    },
    "report.incident": {ZH: "故障分析报告", EN: "incident analysis report"},
    "report.id": {ZH: "故障 ID", EN: "incident id"},
    "report.format": {ZH: "输出格式：html、pdf 或 json", EN: "output format: html, pdf or json"},
    "cmd.evaluate": {
        ZH: "上架前评估：安全基线、可用性、性能、访问量（退出码 0 通过或条件通过，1 不通过，"
            "2 参数错误）",
        EN: "pre-listing evaluation: security baseline, availability, performance, traffic "
            "(exit 0 pass or conditional, 1 fail, 2 bad arguments)",
    },
    "evaluate.epilog": {ZH: _EVALUATE_EPILOG_ZH, EN: _EVALUATE_EPILOG_EN},
    "evaluate.url": {
        ZH: "应用入口地址（http:// 或 https://）", EN: "the app's URL, http:// or https://",
    },
    "evaluate.config": {
        ZH: "配置文件；与 --app 一起使用时读取试运行期的账本数据",
        EN: "config file; with --app, the trial period's ledger data is used",
    },
    "evaluate.app": {
        ZH: "配置中的应用编号（需要 --config）", EN: "app id in the config (needs --config)",
    },
    "evaluate.format": {ZH: "输出格式（默认 json）", EN: "output format (default json)"},
    "evaluate.out": {ZH: "输出文件，省略时写到标准输出", EN: "output file; default stdout"},
    "evaluate.lang": {
        ZH: "语言，默认取配置的 service.language，否则为 MONITOR_LANG",
        EN: "language; default the config's service.language, else MONITOR_LANG",
    },
    "evaluate.ca_file": {ZH: "额外信任的 CA 证书（PEM）", EN: "extra CA to trust (PEM)"},
    "evaluate.http_port": {
        ZH: "检查 HTTP 跳转所用的端口", EN: "plain HTTP port for the redirect check",
    },
    "evaluate.ports": {
        ZH: "要检查的高危端口，逗号分隔", EN: "high-risk ports to try, comma-separated",
    },
    "evaluate.port_timeout": {
        ZH: "每个端口的连接超时，如 1500ms", EN: "connect timeout per port, e.g. 1500ms",
    },
    "evaluate.timeout": {
        ZH: "单次请求超时（默认 15s）", EN: "timeout of one request (default 15s)",
    },
    "evaluate.burst": {
        ZH: "无账本数据时的即时探测次数（默认 20）", EN: "probes in the burst (default 20)",
    },
    "evaluate.burst_interval": {
        ZH: "即时探测的间隔（默认 500ms）", EN: "spacing of the burst (default 500ms)",
    },
    "evaluate.trial_days": {
        ZH: "从账本读取的试运行期天数（默认 14）",
        EN: "days of trial period read from the ledger (default 14)",
    },
    "cmd.inventory": {
        ZH: "应用清单治理：完整性、重复、僵尸/低频/低可用分类与整改建议（退出码 0 成功，"
            "2 参数错误）",
        EN: "inventory audit ahead of the quarterly notice: record gaps, duplicates, zombie, "
            "low-frequency and low-availability classes, rectification (exit 0, 2 on bad "
            "arguments)",
    },
    "inventory.audit": {
        ZH: "清单治理：完整性、重复、可达性、僵尸/低频/低可用分类与整改建议",
        EN: "inventory audit: record gaps, duplicates, reachability, classes, rectification",
    },
    "inventory.audit_description": {
        ZH: "应用清单治理（季度通报前）", EN: "app inventory audit ahead of the quarterly notice",
    },
    "inventory.epilog": {ZH: _INVENTORY_EPILOG_ZH, EN: _INVENTORY_EPILOG_EN},
    "inventory.format": {
        ZH: "输出格式：json、html 或 xlsx，默认 json",
        EN: "output format: json, html or xlsx; default json",
    },
    "inventory.quarter_ends": {
        ZH: "季度末日期（按 service.timezone；默认取 governance.quarter_ends，否则为 "
            "03-31,06-30,09-30,12-31）",
        EN: "quarter ends, in service.timezone (default governance.quarter_ends, else "
            "03-31,06-30,09-30,12-31)",
    },
    "cmd.listing": {
        ZH: "上架状态与整改：变更状态（含技术检查）、整改项、进展（退出码 0 成功，"
            "1 被拒绝或存储错误，2 参数错误）",
        EN: "listing status with its technical check, rectification items and progress "
            "(exit 0, 1 refused or storage error, 2 bad arguments)",
    },
    "listing.epilog": {ZH: _LISTING_EPILOG_ZH, EN: _LISTING_EPILOG_EN},
    "listing.show": {
        ZH: "各应用的上架状态与最近一次评估", EN: "every app's status and its last check",
    },
    "listing.set": {
        ZH: "变更上架状态并运行技术检查", EN: "change an app's status; runs the evaluation",
    },
    "listing.status": {
        ZH: "新状态：trial 试运行，listed 已上架，delisted 已下架",
        EN: "the new status: trial, listed or delisted",
    },
    "listing.by": {ZH: "操作人（默认为当前系统用户）", EN: "who (default: the OS user)"},
    "listing.note": {ZH: "说明", EN: "a note"},
    "listing.force": {
        ZH: "评估不通过也上架", EN: "list even when the evaluation fails",
    },
    "listing.no_check": {
        ZH: "不运行技术检查（记录为未检查）", EN: "skip the evaluation (recorded as such)",
    },
    "listing.sync": {
        ZH: "运行清单治理，更新整改项并通知负责人", EN: "audit, update items, notify owners",
    },
    "listing.items": {ZH: "整改项及其进展", EN: "rectification items and their progress"},
    "listing.all": {ZH: "包括已关闭的整改项", EN: "include closed items"},
    "listing.progress": {
        ZH: "记录整改进展，或完成整改项", EN: "add a progress note; --done closes the item",
    },
    "listing.item_id": {ZH: "整改编号", EN: "the item id"},
    "listing.progress_note": {ZH: "进展说明", EN: "what was done"},
    "listing.noted_by": {ZH: "记录人（默认为当前系统用户）", EN: "who (default: the OS user)"},
    "listing.done": {ZH: "整改完成，关闭该项", EN: "close the item"},
    "cmd.traffic": {
        ZH: "访问量：导入访问日志（退出码 0 已导入，1 有文件失败，2 参数错误）",
        EN: "traffic: import web server access logs (exit 0 imported, 1 a file failed, "
            "2 bad arguments)",
    },
    "traffic.import": {ZH: "导入访问日志", EN: "import access logs"},
    "traffic.import_description": {
        ZH: "从 nginx/Apache 访问日志统计访问量（支持 .gz；每个文件只计一次）",
        EN: "count page views and visitors from nginx/Apache access logs (.gz accepted; each "
            "file counted once)",
    },
    "traffic.visitor": {
        ZH: "访客识别方式：IP+UA（默认）或仅 IP",
        EN: "what makes a visitor unique: IP and user agent (default) or IP only",
    },
    "traffic.skip_prefix": {
        ZH: "不计入浏览量的路径前缀，可重复，如 /api/",
        EN: "paths not counted as page views, e.g. /api/; repeatable",
    },
    "traffic.files": {ZH: "访问日志文件", EN: "access log files"},
    "cmd.demo": {
        ZH: "启动模拟应用，并运行完整服务监控它们的演示",
        EN: "start simulated apps and the full service against them",
    },
    "demo.port": {ZH: "控制台端口（0 表示任意空闲端口）", EN: "console port (0 = any free one)"},
    "demo.data_dir": {
        ZH: "数据与配置目录（默认当前目录下的 demo-data，停止后保留）",
        EN: "data and config directory (default: demo-data in the current directory; kept)",
    },
    "demo.outage_after": {
        ZH: "计划故障开始前的秒数", EN: "seconds until the scripted outage",
    },
    "demo.outage_for": {ZH: "计划故障持续的秒数", EN: "length of the scripted outage, seconds"},
    "demo.duration": {
        ZH: "运行指定秒数后自动停止，0 表示直到按下 Ctrl-C",
        EN: "stop after N seconds; 0 = until Ctrl-C",
    },
    "cmd.bench": {
        ZH: "性能基准：本地目标农场 + 调度 + 探测 + 账本，打印测量结果",
        EN: "benchmark: local targets, scheduler, probes and ledger; prints figures",
    },
    "bench.checks": {ZH: "HTTP 检查数", EN: "number of HTTP checks"},
    "bench.interval": {ZH: "检查间隔，如 10s", EN: "interval, e.g. 10s"},
    "bench.duration": {ZH: "测量时长，如 60s", EN: "measured duration, e.g. 60s"},
    "bench.warmup": {ZH: "预热时长，默认为一个间隔", EN: "warm-up; default one interval"},
    "bench.farm_ports": {
        ZH: "目标农场监听的端口数", EN: "listening ports of the target farm",
    },
    "bench.event_loop": {
        ZH: "事件循环（同 service.event_loop）", EN: "event loop (as service.event_loop)",
    },
    # What the commands say when they cannot go on, or have done something.
    "error.unknown_app": {
        ZH: "{config}：未知的应用编号“{app}”", EN: "{config}: unknown app id {app!r}",
    },
    "error.storage_read": {ZH: "无法读取数据：{detail}", EN: "cannot read the data: {detail}"},
    "error.storage": {ZH: "数据读写出错：{detail}", EN: "storage error: {detail}"},
    "error.write": {ZH: "无法写入 {path}：{detail}", EN: "cannot write {path}: {detail}"},
    "error.no_such_file": {ZH: "{path}：文件不存在", EN: "{path}: no such file"},
    "done.written": {ZH: "已写入 {path}", EN: "written to {path}"},
    "arg.one_port": {ZH: "应为一个端口，实际为“{value}”", EN: "expected one port, got {value!r}"},
    "arg.positive": {
        ZH: "应为不小于 1 的整数，实际为“{value}”",
        EN: "expected a whole number ≥ 1, got {value!r}",
    },
    "evaluate.problem": {ZH: "evaluate：{problem}", EN: "evaluate: {problem}"},
    "evaluate.app_needs_config": {ZH: "--app 需要与 --config 一起使用", EN: "--app needs --config"},
    "evaluate.no_url": {
        ZH: "应用“{app}”没有 url，也没有可取地址的 http 检查",
        EN: "app {app!r} has no url and no http check to take one from",
    },
    "evaluate.no_target": {
        ZH: "请给出 --url URL，或 --config FILE --app ID",
        EN: "give --url URL, or --config FILE --app ID",
    },
    "evaluate.bad_url": {ZH: "URL 无效：{detail}", EN: "bad URL: {detail}"},
    "evaluate.no_ca_file": {
        ZH: "--ca-file {path}：文件不存在", EN: "--ca-file {path}: no such file",
    },
    "evaluate.ledger_unreadable": {
        ZH: "evaluate：账本无法读取（{detail}），改用即时探测",
        EN: "evaluate: ledger not readable ({detail}); using a burst of probes",
    },
    "inventory.bad_quarter_ends": {
        ZH: "--quarter-ends 无效：{detail}", EN: "--quarter-ends invalid: {detail}",
    },
    "listing.unknown_app": {
        ZH: "未知的应用“{app}”（{config} 中没有）", EN: "unknown app {app!r} (not in {config})",
    },
    "listing.no_url": {
        ZH: "应用 {app} 没有 url，也没有 http 检查，无法评估；可加 --no-check",
        EN: "app {app} has no URL and no http check to evaluate; --no-check skips it",
    },
    "listing.evaluating": {ZH: "正在评估 {app}：{url} …", EN: "evaluating {app}: {url} ..."},
    "listing.closed": {ZH: "{id}：已关闭", EN: "{id}: closed"},
    "listing.noted": {ZH: "{id}：已记录", EN: "{id}: noted"},
    # What `listing` prints for people (monitor/commands/listingview.py).
    "listing.col.id": {ZH: "应用编号", EN: "app id"},
    "listing.col.name": {ZH: "应用名称", EN: "app name"},
    "listing.col.status": {ZH: "上架状态", EN: "status"},
    "listing.col.since": {ZH: "自", EN: "since"},
    "listing.col.last_check": {ZH: "最近评估", EN: "last check"},
    "listing.since_config": {ZH: "配置", EN: "config"},
    "listing.moved": {
        ZH: "{name}（{id}）：{before} → {after}", EN: "{name} ({id}): {before} → {after}",
    },
    "listing.not_checked": {ZH: "{moved}；未运行技术检查", EN: "{moved}; not checked"},
    "listing.checked": {
        ZH: "{moved}；评估 {verdict}（{score} 分）", EN: "{moved}; evaluation {verdict} ({score})",
    },
    "listing.no_items": {ZH: "没有整改项", EN: "no rectification items"},
    "listing.days_left": {ZH: "{days} 天", EN: "{days} days"},
    "listing.col.item": {ZH: "整改编号", EN: "item"},
    "listing.col.app": {ZH: "应用", EN: "app"},
    "listing.col.classes": {ZH: "问题", EN: "problems"},
    "listing.col.state": {ZH: "状态", EN: "state"},
    "listing.col.deadline": {ZH: "期限", EN: "deadline"},
    "listing.col.left": {ZH: "剩余/完成", EN: "left / closed"},
    "listing.col.progress": {ZH: "最近进展", EN: "last progress"},
    "listing.plan": {
        ZH: "新开整改项 {opened}，提醒 {reminded}，已整改关闭 {closed}，因下架关闭 {withdrawn}，"
            "仍在整改 {open}；已排队通知 {notices} 条",
        EN: "{opened} items opened, {reminded} reminded, {closed} closed as rectified, "
            "{withdrawn} closed by delisting, {open} still open; {notices} notices queued",
    },
    "listing.plan.opened": {ZH: "新开", EN: "opened"},
    "listing.plan.reminded": {ZH: "提醒", EN: "reminded"},
    "listing.plan.closed": {ZH: "关闭", EN: "closed"},
    "listing.plan_item": {
        ZH: "  {label} {id} {app}：{classes}，期限 {deadline}",
        EN: "  {label} {id} {app}: {classes}, deadline {deadline}",
    },
    "traffic.status.imported": {ZH: "已导入", EN: "imported"},
    "traffic.status.duplicate": {ZH: "已跳过", EN: "skipped"},
    "traffic.status.empty": {ZH: "空文件", EN: "empty"},
    "traffic.status.failed": {ZH: "失败", EN: "failed"},
    "traffic.result": {ZH: "{path}：{status}：{detail}", EN: "{path}: {status}: {detail}"},
    "traffic.unparseable": {
        ZH: "{path}:{line}: 无法解析：{why}", EN: "{path}:{line}: unparseable: {why}",
    },
    "traffic.unparseable_total": {
        ZH: "{path}：共 {count} 行无法解析", EN: "{path}: {count} unparseable lines in all",
    },
    "traffic.progress": {
        ZH: "{path}：{share}（{done_mb:.1f} MB / {total_mb:.1f} MB），{lines:,} 行",
        EN: "{path}: {share} ({done_mb:.1f} MB / {total_mb:.1f} MB), {lines:,} lines",
    },
    "demo.notified": {
        ZH: "[{at}] 通知 {event}: {app} / {check} ({id})",
        EN: "[{at}] notification {event}: {app} / {check} ({id})",
    },
    "demo.event.opened": {ZH: "故障开启", EN: "incident opened"},
    "demo.event.acknowledged": {ZH: "已确认", EN: "acknowledged"},
    "demo.event.resolved": {ZH: "已恢复", EN: "resolved"},
    "demo.event.escalated": {ZH: "已升级", EN: "escalated"},
    "demo.event.reminder": {ZH: "提醒", EN: "reminder"},
    "demo.event.joined": {ZH: "新增应用", EN: "apps joined"},
    "demo.robot.head": {
        ZH: "钉钉群消息 #{n}  {at}  （{kind}）", EN: "DingTalk group message #{n}  {at}  ({kind})",
    },
    "demo.robot.rings": {ZH: "📳 @提醒，手机响铃：{who}", EN: "📳 @-mention rings: {who}"},
    "demo.robot.refused": {
        ZH: "钉钉机器人拒收（{code}）：{reason}", EN: "DingTalk robot refused ({code}): {reason}",
    },
    "demo.gateway": {
        ZH: "「{apps}」共 {n} 个应用共用一个网关：它将在 {after} 秒后故障 {duration} 秒"
            "（模拟大面积故障）；按回车键可立即触发。",
        EN: "{n} apps ({apps}) share one gateway: it goes down {after}s from now for "
            "{duration}s (a simulated correlated outage); press Enter to trigger it now.",
    },
    "demo.gateway.down": {
        ZH: "网关故障已触发：{n} 个应用将同时不可用 {duration} 秒。",
        EN: "Gateway outage triggered: {n} apps go down together for {duration}s.",
    },
    "demo.gateway_after": {
        ZH: "模拟网关故障（大面积故障）在启动多少秒后发生", EN: "seconds until the simulated "
        "gateway outage (a correlated outage of several apps)",
    },
    "demo.gateway_for": {
        ZH: "模拟网关故障持续的秒数", EN: "length of the simulated gateway outage, seconds",
    },
    "demo.data": {
        ZH: "演示数据目录：{dir}（停止后保留）。配置文件：{config}，"
            "可直接用于 check、report、inventory。",
        EN: "Demo data: {dir} (kept after it stops). Config: {config}, "
            "usable as it is by check, report and inventory.",
    },
    "demo.kept": {
        ZH: "演示数据已保留在 {dir}；例如：python -m monitor report monthly --config {config}",
        EN: "Demo data kept in {dir}; e.g. python -m monitor report monthly --config {config}",
    },
    "demo.on_duty": {
        ZH: "值班（{rota}）：{name}（{mobile}）在班，{until} 交接给 {next}。",
        EN: "On duty ({rota}): {name} ({mobile}); hands over to {next} at {until}.",
    },
    "demo.ack_link": {
        ZH: "    手机确认链接（打开即可确认此故障）：{url}",
        EN: "    Phone acknowledge link (open it to acknowledge): {url}",
    },
    "demo.notice": {ZH: "[{at}] 通知 {title}", EN: "[{at}] notification {title}"},
    "demo.by_design": {ZH: "{app}（{how}）", EN: "{app} ({how})"},
    "demo.design.slow": {ZH: "设计为响应慢", EN: "slow by design"},
    "demo.design.flaky": {ZH: "设计为间歇故障", EN: "flaky by design"},
    "demo.design.content": {ZH: "设计为内容错误", EN: "wrong content by design"},
    "demo.design.outage": {ZH: "设计为计划中断", EN: "scripted outage"},
    "demo.design.cert": {ZH: "设计为证书将到期", EN: "certificate expiring by design"},
    "demo.design.gateway": {ZH: "设计为随网关中断", EN: "down with the gateway by design"},
    "demo.by": {ZH: "演示", EN: "demo"},
    "demo.trial_note": {ZH: "新应用试运行（演示）", EN: "a new app on trial (demo)"},
    "demo.trial": {
        ZH: "上架管理：「{app}」为试运行。", EN: "Listing: '{app}' is on trial.",
    },
    "demo.item": {
        ZH: "整改项：「{app}」{id}，期限 {deadline}（见控制台的治理页面）。",
        EN: "Rectification item: '{app}' {id}, due {deadline} (see the console's governance "
            "page).",
    },
}
