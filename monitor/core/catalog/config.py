"""What `validate` (and every command loading a config) says about a config problem
(monitor.core.configtext). The English is what the loader has always said; tests compare it.

Parameters: `got` and `what` are other messages of this table (rendered in the same language);
`detail` may be text of a parser (YAML, `re`, the OS), passed on as it is.
"""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
    # Text of another library, shown as it is.
    "text": {ZH: "{text}", EN: "{text}"},
    # A rule of a dataclass naming its key at fault.
    "keyed": {ZH: "{field}：{detail}", EN: "{field}: {detail}"},
    "ca_file.missing": {ZH: "文件 {path} 不存在", EN: "file {path} does not exist"},
    "ca_file.unreadable": {ZH: "没有权限读取 {path}", EN: "no permission to read {path}"},
    "ca_file.bad": {
        ZH: "{path} 不是 PEM 格式的 CA 证书（{detail}）",
        EN: "{path} holds no PEM CA certificate ({detail})",
    },
    # How a value is named in "expected X, got Y".
    "shape.mapping": {ZH: "映射", EN: "a mapping"},
    "shape.list": {ZH: "列表", EN: "a list"},
    "shape.null": {ZH: "空值", EN: "null"},
    "shape.value": {ZH: "“{value}”", EN: "{value!r}"},
    # What was expected, or what kind of entry is meant.
    "what.url": {ZH: "URL", EN: "a URL"},
    "what.regex": {ZH: "正则表达式", EN: "a regular expression"},
    "what.duration": {ZH: "时长", EN: "a duration"},
    "what.size": {ZH: "大小", EN: "a size"},
    "what.string": {ZH: "字符串", EN: "a string"},
    "what.key": {ZH: "键", EN: "key"},
    "what.column": {ZH: "列", EN: "column"},
    "what.notifier": {ZH: "通知渠道", EN: "notifier"},
    "what.app": {ZH: "应用", EN: "app"},
    "what.check": {ZH: "检查", EN: "check"},
    "what.maintenance": {ZH: "维护窗口", EN: "maintenance window"},
    "what.rotation": {ZH: "值班轮值", EN: "rotation"},
    "where.line": {ZH: "第 {line} 行", EN: "line {line}"},
    "where.file": {ZH: "{file} 第 {line} 行", EN: "{file}:{line}"},
    # The file and its YAML.
    "file.not_found": {
        ZH: "无法读取：文件不存在", EN: "cannot read: No such file or directory",
    },
    "file.unreadable": {ZH: "无法读取：{detail}", EN: "cannot read: {detail}"},
    "file.not_utf8": {ZH: "不是 UTF-8 编码的文本", EN: "not UTF-8 text"},
    "yaml.invalid": {ZH: "YAML 语法错误：{detail}", EN: "invalid YAML: {detail}"},
    "yaml.syntax": {ZH: "YAML 语法错误", EN: "invalid YAML: syntax error"},
    "yaml.invalid_at": {
        ZH: "YAML 语法错误：{detail}（{context}，第 {line} 行）",
        EN: "invalid YAML: {detail} ({context} at line {line})",
    },
    "yaml.recursive_alias": {ZH: "YAML 别名递归引用了自身", EN: "recursive YAML alias"},
    "api_token.short": {
        ZH: "太短：令牌至少需要 {min} 个字符（可用 python3 -c \"import secrets; "
            "print(secrets.token_urlsafe(16))\" 生成）",
        EN: "too short: a token needs at least {min} characters (make one with python3 -c "
            "\"import secrets; print(secrets.token_urlsafe(16))\")",
    },
    "api_token.same": {
        ZH: "与 api_tokens[{index}]（{where}）的令牌相同：每个持有者应有自己的令牌",
        EN: "the same token as api_tokens[{index}] ({where}): each holder needs their own",
    },
    "api_token.name_taken": {
        ZH: "令牌名称“{name}”重复（首次出现在{where}）",
        EN: "duplicate token name {name!r} (first at {where})",
    },
    "yaml.too_deep": {
        ZH: "嵌套超过 {limit} 层：配置不需要这么深，请检查括号或缩进",
        EN: "nested more than {limit} levels deep: no config needs that; check the brackets "
            "or the indentation",
    },
    "yaml.aliases": {
        ZH: "YAML 别名（*名称 或 <<）展开后超过 {limit} 个值，已拒绝（疑似“别名炸弹”）；"
            "请直接写出这些值或减少别名",
        EN: "YAML aliases (*name or <<) would expand to more than {limit} values, refused "
            "(an alias bomb?); write the values out or use fewer aliases",
    },
    "yaml.key_not_string": {ZH: "键必须是普通字符串", EN: "a key must be a plain string"},
    "yaml.duplicate_key": {
        ZH: "键重复（首次出现在第 {first} 行）", EN: "duplicate key (first at line {first})",
    },
    "yaml.merge_not_mapping": {ZH: "“<<” 只能合并映射", EN: "'<<' merges only mappings"},
    "env.unset": {ZH: "环境变量 {name} 未设置", EN: "environment variable {name} is not set"},
    "root.not_mapping": {
        ZH: "配置应为各部分的映射（service、apps、notifiers 等）",
        EN: "expected a mapping of sections (service, apps, notifiers, ...)",
    },
    # Keys and values.
    "unknown.close": {
        ZH: "未知的{what}“{field}”；是否应为“{close}”？",
        EN: "unknown {what} {field!r}; did you mean {close!r}?",
    },
    "unknown.choices": {
        ZH: "未知的{what}“{field}”；可用：{choices}",
        EN: "unknown {what} {field!r}; expected one of: {choices}",
    },
    "key.missing": {ZH: "缺少必填项“{field}”", EN: "missing required key {field!r}"},
    "expected.mapping": {ZH: "应为映射，实际为{got}", EN: "expected a mapping, got {got}"},
    "expected.list": {ZH: "应为列表，实际为{got}", EN: "expected a list, got {got}"},
    "expected.value": {ZH: "应为{what}，实际为{got}", EN: "expected {what}, got {got}"},
    "expected.choice": {
        ZH: "应为 {choices} 之一，实际为{got}", EN: "expected one of {choices}, got {got}",
    },
    "expected.integer": {ZH: "应为整数，实际为{got}", EN: "expected an integer, got {got}"},
    "expected.number": {ZH: "应为数字，实际为{got}", EN: "expected a number, got {got}"},
    "expected.bool": {
        ZH: "应为 true 或 false，实际为{got}", EN: "expected true or false, got {got}",
    },
    "expected.scalar": {
        ZH: "应为单个值（字符串、数字、true/false 或 null），实际为{got}",
        EN: "expected a single value (string, number, true/false or null), got {got}",
    },
    "bounds.between": {
        ZH: "应在 {low:g} 到 {high:g} 之间，实际为 {value:g}",
        EN: "must be between {low:g} and {high:g}, got {value:g}",
    },
    "bounds.at_least": {
        ZH: "应不小于 {low:g}，实际为 {value:g}", EN: "must be at least {low:g}, got {value:g}",
    },
    "bounds.at_most": {
        ZH: "应不大于 {high:g}，实际为 {value:g}", EN: "must be at most {high:g}, got {value:g}",
    },
    "duration.bad": {
        ZH: "时长“{text}”无效：应为数字加单位 ms、s、m、h 或 d",
        EN: "bad duration {text!r}: expected a number and a unit ms, s, m, h or d",
    },
    "size.bad": {
        ZH: "大小“{text}”无效：应为字节数，或数字加 KiB、MiB、KB、MB 等单位",
        EN: "bad size {text!r}: expected bytes, or a number with KiB, MiB, KB, MB...",
    },
    "regex.bad": {
        ZH: "正则表达式“{text}”无效：{detail}", EN: "bad regular expression {text!r}: {detail}",
    },
    "url.bad": {ZH: "URL“{url}”无效：{problem}", EN: "bad URL {url!r}: {problem}"},
    "url.scheme": {
        ZH: "必须以 http:// 或 https:// 开头", EN: "must start with http:// or https://",
    },
    "url.not_http": {ZH: "不是 http(s) URL：“{url}”", EN: "not an http(s) URL: {url!r}"},
    "url.no_host": {ZH: "缺少主机名", EN: "has no host"},
    "url.space": {ZH: "含有空白字符", EN: "contains white space"},
    "proxy.bad": {
        ZH: "代理“{url}”无效：应为 http://主机:端口 或 \"direct\"",
        EN: "bad proxy {url!r}: expected http://host:port or \"direct\"",
    },
    "host.bad_idna": {ZH: "主机名“{host}”无效：{detail}", EN: "bad host name {host!r}: {detail}"},
    "host.bad_labels": {
        ZH: "主机名“{host}”无效：应由单个点分隔、每段 1 到 63 个字母、数字、“-”或“_”组成",
        EN: "bad host name {host!r}: labels of 1 to 63 letters, digits, '-' or '_', "
            "separated by single dots",
    },
    "port.bad": {
        ZH: "端口“{value}”无效：应为 1-65535 之间的数字",
        EN: "bad port {value!r}: expected a number 1-65535",
    },
    "jsonpath.bad": {
        ZH: "JSON 路径“{path}”在第 {position} 个字符处有误",
        EN: "bad JSON path {path!r} at character {position}",
    },
    # Ids, kinds and references between entries.
    "kind.unknown": {
        ZH: "未知的{what}类型“{kind}”；可用类型：{kinds}",
        EN: "unknown {what} kind {kind!r}; known kinds: {kinds}",
    },
    "id.bad": {
        ZH: "{what}编号“{id}”无效：只能使用 a-z、0-9 和“-”，且不能以“-”开头",
        EN: "bad {what} id {id!r}: use a-z, 0-9 and '-', not starting with '-'",
    },
    "id.duplicate": {
        ZH: "{what}编号“{id}”重复（首次出现在{where}）",
        EN: "duplicate {what} id {id!r} (first at {where})",
    },
    "notifier.unknown": {ZH: "未知的通知渠道“{id}”", EN: "unknown notifier {id!r}"},
    "notifier.none_defined": {
        ZH: "未知的通知渠道“{id}”：尚未定义任何通知渠道",
        EN: "unknown notifier {id!r}: no notifiers are defined",
    },
    "notifier.reserved_id": {
        ZH: "“{id}”保留给升级步骤使用，请换一个编号",
        EN: "{id!r} is reserved for escalation steps; choose another id",
    },
    "notifiers.not_list": {ZH: "应为通知渠道列表", EN: "expected a list of notifiers"},
    "app.unknown": {ZH: "未知的应用“{id}”", EN: "unknown app {id!r}"},
    "app.unknown_close": {
        ZH: "未知的应用“{id}”；是否应为“{close}”？",
        EN: "unknown app {id!r}; did you mean {close!r}?",
    },
    "apps.none": {
        ZH: "没有应用：请在此列出，或给出 apps_file",
        EN: "no apps: list them here or give apps_file",
    },
    "apps.not_list": {ZH: "应为应用列表", EN: "expected a list of apps"},
    "app.not_mapping": {ZH: "应为一个应用（映射）", EN: "expected an app (a mapping)"},
    "app.no_checks": {
        ZH: "没有检查：请给出 checks，或给出 url 以检查首页",
        EN: "no checks: give checks, or url for a home page check",
    },
    "checks.not_list": {ZH: "应为检查列表", EN: "expected a list of checks"},
    "owner.bad_mobile": {
        ZH: "手机号“{value}”无效：应为以 1 开头的 11 位数字",
        EN: "bad mobile number {value!r}: expected 11 digits starting with 1",
    },
    "owner.bad_email": {ZH: "邮箱地址“{value}”无效", EN: "bad email address {value!r}"},
    "reports.not_email": {
        ZH: "“{id}”不是邮件通知渠道", EN: "{id!r} is not an email notifier",
    },
    "escalation.order": {
        ZH: "各步骤须按 after 从小到大排列", EN: "steps must be in order of 'after'",
    },
    # The apps spreadsheet.
    "apps_file_sheet.alone": {ZH: "给出了它却没有 apps_file", EN: "given without apps_file"},
    "apps_file.no_rows": {ZH: "{file} 中没有应用行", EN: "{file} has no rows of apps"},
    "apps_file.sheet_csv": {
        ZH: "apps_file_sheet 只适用于 .xlsx 文件",
        EN: "apps_file_sheet applies only to .xlsx files",
    },
    "apps_file.type": {
        ZH: "不支持的文件类型“{suffix}”：请使用 .csv 或 .xlsx",
        EN: "unsupported file type {suffix!r}: use .csv or .xlsx",
    },
    "apps_file.empty": {
        ZH: "{path} 是空文件：应有表头行", EN: "{path} is empty: expected a header row",
    },
    "apps_file.decode": {
        ZH: "无法解码 {path}：请另存为 UTF-8（或 GBK）编码",
        EN: "cannot decode {path}: save it as UTF-8 (or GBK)",
    },
    "apps_file.workbook": {
        ZH: "无法以工作簿打开 {path}：{detail}", EN: "cannot open {path} as a workbook: {detail}",
    },
    "apps_file.no_sheet": {
        ZH: "没有工作表“{sheet}”；现有工作表：{sheets}", EN: "no sheet {sheet!r}; sheets: {sheets}",
    },
    "apps_file.unreadable": {ZH: "无法读取 {path}：{detail}", EN: "cannot read {path}: {detail}"},
    "column.twice": {
        ZH: "列“{name}”出现了两次（另一处写作“{other}”）",
        EN: "column {name!r} appears twice (also as {other!r})",
    },
    "column.missing": {
        ZH: "缺少列“{name}”（或“{alias}”）", EN: "missing column {name!r} (or {alias!r})",
    },
    "cell.empty": {ZH: "单元格为空：此项必填", EN: "empty cell: a value is required"},
    # Rules of the sections.
    "timezone.unknown": {
        ZH: "timezone：未知的时区“{zone}”", EN: "timezone: unknown time zone {zone!r}",
    },
    "connectivity.no_targets": {
        ZH: "targets：请至少列出一个 tcp://主机:端口 或 http(s) URL",
        EN: "targets: list at least one tcp://host:port or http(s) URL",
    },
    "connectivity.url_no_host": {
        ZH: "URL“{target}”无效：缺少主机名", EN: "bad URL {target!r}: no host",
    },
    "connectivity.bad_target": {
        ZH: "目标“{target}”无效：应为 \"tcp://主机:端口\" 或 http(s) URL",
        EN: "bad target {target!r}: expected \"tcp://host:port\" or an http(s) URL",
    },
    "maintenance.apps_empty": {
        ZH: "apps：为空；请列出应用编号，或用 [\"{all}\"] 表示全部应用",
        EN: "apps: empty; list app ids, or [\"{all}\"] for every app",
    },
    "maintenance.apps_all": {
        ZH: "apps：\"{all}\" 已涵盖全部应用，不要再列出其他应用",
        EN: "apps: \"{all}\" covers every app; list no others with it",
    },
    "maintenance.either": {
        ZH: "请给出 start 和 end（一次性）或 cron 和 duration（周期性）",
        EN: "give either start and end (one-off) or cron and duration (recurring)",
    },
    "maintenance.not_both": {
        ZH: "请给出 start 和 end（一次性）或 cron 和 duration（周期性），不能同时给出",
        EN: "give either start and end (one-off) or cron and duration (recurring), not both",
    },
    "window.bad_time": {
        ZH: "时间“{text}”无效：应为 ISO 8601 格式，例如 {example}",
        EN: "bad date-time {text!r}: expected ISO 8601, e.g. {example}",
    },
    "window.one_off_missing": {
        ZH: "{field}：缺失；一次性窗口须同时给出 start 和 end",
        EN: "{field}: missing; a one-off needs both",
    },
    "window.offsets": {
        ZH: "start、end：须都带 UTC 偏移或都不带",
        EN: "start, end: give both with a UTC offset or both without",
    },
    "window.end_before_start": {ZH: "end：必须晚于 start", EN: "end: must be after start"},
    "window.recurring_missing": {
        ZH: "{field}：缺失；周期性窗口须同时给出 cron 和 duration",
        EN: "{field}: missing; recurring needs both",
    },
    "window.duration_zero": {ZH: "duration：必须大于 0s", EN: "duration: must be more than 0s"},
    "cron.bad": {
        ZH: "cron：表达式“{cron}”无效：{detail}", EN: "cron: bad expression {cron!r}: {detail}",
    },
    "cron.fields": {
        ZH: "应为 5 个字段（分 时 日 月 星期），实际为 {count} 个",
        EN: "expected 5 fields (minute hour day month weekday), got {count}",
    },
    "cron.day_and_weekday": {
        ZH: "日期和星期只能限定其中之一",
        EN: "restrict the day of month or the day of week, not both",
    },
    "cron.weekday_step": {
        ZH: "星期步长“{step}”：应为正整数", EN: "weekday step {step!r}: expected a positive number",
    },
    "cron.weekday_backwards": {
        ZH: "星期范围“{range}”是倒序的", EN: "weekday range {range!r} runs backwards",
    },
    "cron.weekday": {
        ZH: "星期“{day}”：应为 0-7（0 和 7 都是星期日）或 sun-sat",
        EN: "weekday {day!r}: expected 0-7 (0 and 7 are Sunday) or sun-sat",
    },
    "monthday.bad": {ZH: "应为 MM-DD，实际为“{item}”", EN: "expected MM-DD, got {item!r}"},
    "monthday.no_such_day": {ZH: "没有这一天：“{item}”", EN: "no such day {item!r}"},
    "monthday.none": {
        ZH: "应为 MM-DD[,MM-DD...]，实际为空", EN: "expected MM-DD[,MM-DD...], got nothing",
    },
    "traffic.bad_metric": {
        ZH: "{field}：指标名“{name}”无效", EN: "{field}: bad metric name {name!r}",
    },
    "traffic.bad_label": {
        ZH: "labels：标签名“{label}”无效", EN: "labels: bad label name {label!r}",
    },
    "traffic.one_of": {
        ZH: "请给出 prometheus 或 json 之一", EN: "give one of prometheus or json",
    },
    "traffic.not_both": {
        ZH: "请给出 prometheus 或 json 之一，不能同时给出",
        EN: "give one of prometheus or json, not both",
    },
    "dns.server_not_ip": {
        ZH: "server：应为解析服务器的 IP 地址，实际为“{server}”",
        EN: "server: expected the resolver's IP address, got {server!r}",
    },
    "oncall.member_name": {ZH: "值班人员的 name 不能为空", EN: "a member's name must not be empty"},
    "oncall.no_members": {ZH: "members：至少需要一名值班人员", EN: "members: at least one member"},
    "oncall.duplicate_member": {
        ZH: "members：值班人员姓名重复（换班和提醒按姓名区分）",
        EN: "members: two members with the same name (swaps name members by name)",
    },
    "oncall.handover": {
        ZH: "handover：“{text}”无效，应为 24 小时制时间，例如 09:00",
        EN: "handover: {text!r} is not a 24-hour time such as 09:00",
    },
    "oncall.start": {
        ZH: "start：“{text}”无效，应为日期，例如 2026-12-07",
        EN: "start: {text!r} is not a date such as 2026-12-07",
    },
    "oncall.override_member": {
        ZH: "overrides：“{member}”不是本轮值的值班人员",
        EN: "overrides: {member!r} is not a member of this rotation",
    },
}
