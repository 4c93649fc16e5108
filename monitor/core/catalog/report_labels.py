"""Reports: headings, column names and labels."""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
    'generated': {
        ZH: '生成时间',
        EN: 'Generated',
    },
    'timezone': {
        ZH: '时区',
        EN: 'Time zone',
    },
    'none': {
        ZH: '无',
        EN: 'None',
    },
    'unknown': {
        ZH: '未知',
        EN: 'unknown',
    },
    'sec.methods': {
        ZH: '计算方法',
        EN: 'How figures are computed',
    },
    'page': {
        ZH: '第 {n} 页',
        EN: 'page {n}',
    },
    'monthly.title': {
        ZH: '运维月报',
        EN: 'Monthly operations report',
    },
    'monthly.subtitle': {
        ZH: '{month} 应用运行质量报告',
        EN: 'App service quality, {month}',
    },
    'monthly.period': {
        ZH: '统计区间',
        EN: 'Period',
    },
    'sec.summary': {
        ZH: '运行概况',
        EN: 'Executive summary',
    },
    'sec.apps': {
        ZH: '各应用指标',
        EN: 'Per-app figures',
    },
    'sec.breakdowns': {
        ZH: '分类统计与排名',
        EN: 'Breakdowns and rankings',
    },
    'sec.incidents': {
        ZH: '故障清单',
        EN: 'Incidents',
    },
    'sec.certificates': {
        ZH: '证书到期提醒',
        EN: 'Certificates expiring soon',
    },
    'sec.watch': {
        ZH: '低可用关注名单',
        EN: 'Watch-list: apps below the availability threshold',
    },
    'sec.maintenance': {
        ZH: '维护窗口（不计入统计）',
        EN: 'Maintenance windows left out',
    },
    'sec.blind': {
        ZH: '监测中断时段（无数据）',
        EN: 'When the monitor was cut off (no data)',
    },
    'empty.blind': {
        ZH: '本月监测服务没有中断。',
        EN: 'The monitor was never cut off this month.',
    },
    'col.no_data_hours': {
        ZH: '无数据小时',
        EN: 'Hours without data',
    },
    'still_blind': {
        ZH: '至今',
        EN: 'still',
    },
    'sec.inventory': {
        ZH: '清单变动与整改',
        EN: 'Inventory changes and rectification',
    },
    'inv.summary': {
        ZH: (
            '本月上架 {listed} 个、下架 {delisted} 个、转为试运行 {trial} 个；整改项 {items} 个：'
            '整改中 {open} 个，已逾期 {overdue} 个，已完成 {done} 个。'
        ),
        EN: (
            'This month {listed} listed, {delisted} delisted, {trial} back to trial; {items} rect'
            'ification items: {open} open, {overdue} overdue, {done} done.'
        ),
    },
    'inv.changes': {
        ZH: '上架状态变更',
        EN: 'Listing status changes',
    },
    'inv.items': {
        ZH: '整改项及进展',
        EN: 'Rectification items and their progress',
    },
    'col.change': {
        ZH: '变更',
        EN: 'Change',
    },
    'col.evaluation': {
        ZH: '技术检查',
        EN: 'Technical check',
    },
    'col.item': {
        ZH: '整改编号',
        EN: 'Item',
    },
    'col.problem': {
        ZH: '问题',
        EN: 'Problem',
    },
    'col.progress': {
        ZH: '本月进展',
        EN: 'Progress this month',
    },
    'empty.changes': {
        ZH: '本月没有上架状态变更。',
        EN: 'No listing status changed this month.',
    },
    'empty.items': {
        ZH: '本月没有整改项。',
        EN: 'No rectification item this month.',
    },
    'not_checked': {
        ZH: '未检查',
        EN: 'not checked',
    },
    'listing.trial': {
        ZH: '试运行',
        EN: 'trial',
    },
    'listing.listed': {
        ZH: '已上架',
        EN: 'listed',
    },
    'listing.delisted': {
        ZH: '已下架',
        EN: 'delisted',
    },
    'item.open': {
        ZH: '整改中',
        EN: 'open',
    },
    'item.overdue': {
        ZH: '已逾期',
        EN: 'overdue',
    },
    'item.done': {
        ZH: '已完成',
        EN: 'done',
    },
    'verdict.pass': {
        ZH: '通过',
        EN: 'pass',
    },
    'verdict.conditional': {
        ZH: '条件通过',
        EN: 'conditional',
    },
    'verdict.fail': {
        ZH: '不通过',
        EN: 'fail',
    },
    'iclass.zombie': {
        ZH: '僵尸应用',
        EN: 'zombie',
    },
    'iclass.low_frequency': {
        ZH: '低频应用',
        EN: 'low-frequency',
    },
    'iclass.low_availability': {
        ZH: '低可用应用',
        EN: 'low-availability',
    },
    'progress.opened': {
        ZH: '开立整改项',
        EN: 'item opened',
    },
    'progress.reminded': {
        ZH: '已提醒负责人',
        EN: 'owner reminded',
    },
    'progress.still_flagged': {
        ZH: '仍被认定',
        EN: 'still flagged',
    },
    'progress.closed': {
        ZH: '关闭',
        EN: 'closed',
    },
    'progress.note': {
        ZH: '进展',
        EN: 'note',
    },
    'card.availability': {
        ZH: '总体可用率',
        EN: 'Overall availability',
    },
    'card.target': {
        ZH: '目标 {target}%',
        EN: 'target {target}%',
    },
    'card.met': {
        ZH: '达标',
        EN: 'met',
    },
    'card.missed': {
        ZH: '未达标',
        EN: 'missed',
    },
    'card.apps': {
        ZH: '应用数',
        EN: 'Apps',
    },
    'card.below': {
        ZH: '{n} 个低于目标',
        EN: '{n} below target',
    },
    'card.incidents': {
        ZH: '故障数',
        EN: 'Incidents',
    },
    'card.mtta': {
        ZH: '平均响应时间 MTTA',
        EN: 'Mean time to acknowledge',
    },
    'card.mttr': {
        ZH: '平均恢复时间 MTTR',
        EN: 'Mean time to resolve',
    },
    'card.response_sla': {
        ZH: '{limit}内响应率',
        EN: 'Acknowledged within {limit}',
    },
    'card.resolution_sla': {
        ZH: '{limit}内解决率',
        EN: 'Resolved within {limit}',
    },
    'card.sla_counts': {
        ZH: '{within} 达标 / {breached} 超时',
        EN: '{within} within / {breached} late',
    },
    'card.latency': {
        ZH: '整体耗时 p50 / p95 / p99',
        EN: 'Latency p50 / p95 / p99',
    },
    'chart.daily_availability': {
        ZH: '每日可用率（虚线为目标）',
        EN: 'Daily availability (dashed: target)',
    },
    'chart.daily_p95': {
        ZH: '每日 p95 耗时（毫秒）',
        EN: 'Daily p95 latency (ms)',
    },
    'chart.incidents_by_department': {
        ZH: '各部门故障数',
        EN: 'Incidents by department',
    },
    'chart.others': {
        ZH: '其他 {n} 个',
        EN: '{n} others',
    },
    'legend.availability_prefix': {
        ZH: '可用率底色：',
        EN: 'Availability shading:',
    },
    'legend.mtta': {
        ZH: 'MTTA / MTTR 为本月该应用故障的平均响应 / 恢复用时。',
        EN: "MTTA / MTTR: the mean time to acknowledge / resolve of the app's incidents.",
    },
    'col.app': {
        ZH: '应用',
        EN: 'App',
    },
    'col.department': {
        ZH: '部门',
        EN: 'Department',
    },
    'col.category': {
        ZH: '类别',
        EN: 'Category',
    },
    'col.tier': {
        ZH: '等级',
        EN: 'Tier',
    },
    'col.availability': {
        ZH: '可用率 %',
        EN: 'Availability %',
    },
    'col.probes': {
        ZH: '探测次数',
        EN: 'Runs',
    },
    'col.failed': {
        ZH: '失败',
        EN: 'Failed',
    },
    'col.p50': {
        ZH: 'p50 ms',
        EN: 'p50 ms',
    },
    'col.p95': {
        ZH: 'p95 ms',
        EN: 'p95 ms',
    },
    'col.p99': {
        ZH: 'p99 ms',
        EN: 'p99 ms',
    },
    'col.incidents': {
        ZH: '故障',
        EN: 'Incidents',
    },
    'col.mtta': {
        ZH: 'MTTA',
        EN: 'MTTA',
    },
    'col.mttr': {
        ZH: 'MTTR',
        EN: 'MTTR',
    },
    'col.breaches': {
        ZH: '超时（响应/解决）',
        EN: 'Late (resp./resol.)',
    },
    'col.rank': {
        ZH: '排名',
        EN: 'Rank',
    },
    'col.apps': {
        ZH: '应用数',
        EN: 'Apps',
    },
    'col.below': {
        ZH: '低于目标',
        EN: 'Below target',
    },
    'col.key.department': {
        ZH: '部门',
        EN: 'Department',
    },
    'col.key.category': {
        ZH: '类别',
        EN: 'Category',
    },
    'col.key.tier': {
        ZH: '等级',
        EN: 'Tier',
    },
    'dim.department': {
        ZH: '按部门',
        EN: 'By department',
    },
    'dim.category': {
        ZH: '按类别',
        EN: 'By category',
    },
    'dim.tier': {
        ZH: '按等级',
        EN: 'By tier',
    },
    'tier.n': {
        ZH: '{n} 级',
        EN: 'tier {n}',
    },
    'rank.lowest_availability': {
        ZH: '可用率最低',
        EN: 'Lowest availability',
    },
    'rank.slowest_p95': {
        ZH: 'p95 耗时最长',
        EN: 'Slowest p95',
    },
    'rank.most_incidents': {
        ZH: '故障最多',
        EN: 'Most incidents',
    },
    'col.opened': {
        ZH: '开单时间',
        EN: 'Opened',
    },
    'col.check': {
        ZH: '检查',
        EN: 'Check',
    },
    'col.severity': {
        ZH: '级别',
        EN: 'Severity',
    },
    'col.state': {
        ZH: '状态',
        EN: 'State',
    },
    'col.response': {
        ZH: '响应',
        EN: 'Response',
    },
    'col.resolution': {
        ZH: '解决',
        EN: 'Resolution',
    },
    'col.summary': {
        ZH: '现象 / 原因',
        EN: 'Symptom / cause',
    },
    'col.days_left': {
        ZH: '剩余天数',
        EN: 'Days left',
    },
    'col.seen_at': {
        ZH: '检查时间',
        EN: 'Seen',
    },
    'col.worst_week': {
        ZH: '最差 7 天失败率 %',
        EN: 'Worst 7 days failed %',
    },
    'col.reasons': {
        ZH: '原因',
        EN: 'Reasons',
    },
    'col.window': {
        ZH: '窗口',
        EN: 'Window',
    },
    'col.scope': {
        ZH: '范围',
        EN: 'Scope',
    },
    'col.reason': {
        ZH: '事由',
        EN: 'Reason',
    },
    'col.start': {
        ZH: '开始',
        EN: 'Start',
    },
    'col.end': {
        ZH: '结束',
        EN: 'End',
    },
    'col.excluded_hours': {
        ZH: '剔除小时数',
        EN: 'Hours left out',
    },
    'scope.all': {
        ZH: '全部应用',
        EN: 'all apps',
    },
    'late': {
        ZH: '超时',
        EN: 'late',
    },
    'watch.availability_below_target': {
        ZH: '月可用率低于 {target}%',
        EN: 'availability below {target} %',
    },
    'watch.week_failed_probes': {
        ZH: '连续 7 天失败率 ≥ {week}%',
        EN: '≥ {week} % failed over 7 days',
    },
    'watch.no_probes': {
        ZH: '本月无探测数据',
        EN: 'no runs this month',
    },
    'empty.incidents': {
        ZH: '本月没有故障。',
        EN: 'No incidents this month.',
    },
    'empty.certificates': {
        ZH: '没有即将到期的证书。',
        EN: 'No certificate expires soon.',
    },
    'empty.watch': {
        ZH: '没有应用进入关注名单。',
        EN: 'No app is on the watch-list.',
    },
    'empty.maintenance': {
        ZH: '本月没有维护窗口。',
        EN: 'No maintenance window this month.',
    },
    'other_incidents': {
        ZH: '另有 {n} 个故障属于已移出配置的应用，未计入。',
        EN: '{n} more incident(s) of apps no longer configured are not counted.',
    },
    'mail.subject': {
        ZH: '【运维月报】{month} 应用运行质量报告',
        EN: '[Monthly report] App service quality, {month}',
    },
    'mail.attached': {
        ZH: '完整报告见附件（PDF）。',
        EN: 'The full report is attached (PDF).',
    },
    'incident.title': {
        ZH: '故障分析报告',
        EN: 'Incident analysis report',
    },
    'draft': {
        ZH: '草稿：恢复时自动生成，补充备注后可重新生成',
        EN: 'Draft: written at resolve; regenerate after adding notes',
    },
    'sec.basic': {
        ZH: '基本信息',
        EN: 'Basic information',
    },
    'sec.timeline': {
        ZH: '时间线',
        EN: 'Timeline',
    },
    'sec.sla': {
        ZH: 'SLA 达成情况',
        EN: 'Response and resolution against the SLA',
    },
    'sec.symptoms': {
        ZH: '故障现象',
        EN: 'Symptoms',
    },
    'sec.impact': {
        ZH: '影响范围',
        EN: 'Impact',
    },
    'sec.causes': {
        ZH: '原因分析',
        EN: 'Causes',
    },
    'sec.direct_cause': {
        ZH: '直接原因',
        EN: 'Direct cause',
    },
    'sec.root_cause': {
        ZH: '根本原因',
        EN: 'Root cause',
    },
    'sec.steps': {
        ZH: '处置过程',
        EN: 'Handling steps',
    },
    'sec.actions': {
        ZH: '整改措施',
        EN: 'Corrective actions',
    },
    'sec.lessons': {
        ZH: '经验教训',
        EN: 'Lessons learned',
    },
    'basic.incident_id': {
        ZH: '故障编号',
        EN: 'Incident id',
    },
    'basic.app': {
        ZH: '应用',
        EN: 'App',
    },
    'basic.owner': {
        ZH: '应用负责人',
        EN: 'App owner',
    },
    'basic.check': {
        ZH: '检查项',
        EN: 'Check',
    },
    'basic.severity': {
        ZH: '级别',
        EN: 'Severity',
    },
    'basic.state': {
        ZH: '状态',
        EN: 'State',
    },
    'basic.summary': {
        ZH: '故障摘要',
        EN: 'Summary',
    },
    'basic.source': {
        ZH: '来源',
        EN: 'Source',
    },
    'basic.address': {
        ZH: '探测地址',
        EN: 'Address probed',
    },
    'basic.acknowledged_by': {
        ZH: '确认人',
        EN: 'Acknowledged by',
    },
    'basic.resolved_by': {
        ZH: '处理人',
        EN: 'Resolved by',
    },
    'basic.note_authors': {
        ZH: '参与人员',
        EN: 'Contributors',
    },
    'basic.auto': {
        ZH: '自动恢复（检查连续通过）',
        EN: 'automatic (checks passed again)',
    },
    'basic.reopened': {
        ZH: '重新打开 {n} 次',
        EN: 'reopened {n} time(s)',
    },
    'flow.first_failure': {
        ZH: '首次失败',
        EN: 'First failure',
    },
    'flow.detected': {
        ZH: '发现（开单）',
        EN: 'Detected',
    },
    'flow.notified': {
        ZH: '通知',
        EN: 'Notified',
    },
    'flow.acknowledged': {
        ZH: '确认',
        EN: 'Acknowledged',
    },
    'flow.resolved': {
        ZH: '恢复',
        EN: 'Resolved',
    },
    'flow.report': {
        ZH: '报告',
        EN: 'Report',
    },
    'flow.pending': {
        ZH: '尚未发生',
        EN: 'not yet',
    },
    'col.at': {
        ZH: '时间',
        EN: 'Time',
    },
    'col.event': {
        ZH: '事件',
        EN: 'Event',
    },
    'col.by': {
        ZH: '人员',
        EN: 'By',
    },
    'col.detail': {
        ZH: '说明',
        EN: 'Detail',
    },
    'col.limit': {
        ZH: '时限',
        EN: 'Limit',
    },
    'col.due': {
        ZH: '截止时间',
        EN: 'Due',
    },
    'col.actual': {
        ZH: '实际用时',
        EN: 'Took',
    },
    'col.outcome': {
        ZH: '结果',
        EN: 'Outcome',
    },
    'sla.response': {
        ZH: '响应（开单→确认）',
        EN: 'Response (opened → acknowledged)',
    },
    'sla.resolution': {
        ZH: '解决（开单→恢复）',
        EN: 'Resolution (opened → resolved)',
    },
    'outcome.within': {
        ZH: '达标',
        EN: 'met',
    },
    'outcome.breached': {
        ZH: '超时',
        EN: 'breached',
    },
    'outcome.pending': {
        ZH: '进行中',
        EN: 'pending',
    },
    'durations': {
        ZH: '检测用时 {detect}；故障持续 {outage}',
        EN: 'detected after {detect}; outage {outage}',
    },
    'ongoing': {
        ZH: '（仍未恢复）',
        EN: '(still ongoing)',
    },
    'ev.results': {
        ZH: '探测 {n} 次，失败 {f} 次',
        EN: '{n} runs, {f} failed',
    },
    'ev.window': {
        ZH: '数据区间',
        EN: 'Window',
    },
    'ev.errors': {
        ZH: '错误类型',
        EN: 'Errors',
    },
    'ev.first_error': {
        ZH: '首次错误',
        EN: 'First error',
    },
    'ev.last_error': {
        ZH: '最后错误',
        EN: 'Last error',
    },
    'ev.truncated': {
        ZH: '结果过多，仅读取前 {n} 条。',
        EN: 'Too many results: the first {n} were read.',
    },
    'ev.no_raw': {
        ZH: '原始探测结果已超过保留期，无法给出逐分钟数据。',
        EN: 'The raw results are past their retention: no per-minute data.',
    },
    'chart.failures': {
        ZH: '每分钟探测（红色为失败）',
        EN: 'Runs per minute (red: failed)',
    },
    'chart.latency': {
        ZH: '每分钟平均耗时（毫秒）',
        EN: 'Mean latency per minute (ms)',
    },
    'impact.apps': {
        ZH: '受影响应用',
        EN: 'Apps affected',
    },
    'impact.related': {
        ZH: '同期其他故障',
        EN: 'Overlapping incidents',
    },
    'impact.duration': {
        ZH: '影响时长',
        EN: 'Duration',
    },
    'impact.users': {
        ZH: '影响用户数',
        EN: 'Users affected',
    },
    'impact.users_unknown': {
        ZH: '未知（本期无访问量数据）',
        EN: 'unknown (no traffic figures recorded)',
    },
    'col.what': {
        ZH: '措施',
        EN: 'Action',
    },
    'col.owner': {
        ZH: '负责人',
        EN: 'Owner',
    },
    'col.deadline': {
        ZH: '期限',
        EN: 'Deadline',
    },
    'deadline.invalid': {
        ZH: '（日期无效）',
        EN: '(not a valid date)',
    },
    'todo': {
        ZH: (
            '待填写（to be completed）：通过 POST /api/v1/incidents/{id}/notes 添加以“{prefix}”开'
            '头的备注，例如：{example}'
        ),
        EN: (
            'To be completed: add a note starting with “{prefix}” through POST /api/v1/incidents/'
            '{id}/notes, for example: {example}'
        ),
    },
    'todo.direct_cause': {
        ZH: '直接原因:',
        EN: 'direct cause:',
    },
    'todo.root_cause': {
        ZH: '根本原因:',
        EN: 'root cause:',
    },
    'todo.actions': {
        ZH: '整改:',
        EN: 'action:',
    },
    'todo.lessons': {
        ZH: '经验:',
        EN: 'lessons:',
    },
    'example.direct_cause': {
        ZH: '直接原因: 数据库连接池耗尽',
        EN: 'direct cause: the database pool ran out',
    },
    'example.root_cause': {
        ZH: '根本原因: 连接泄漏未释放',
        EN: 'root cause: connections were leaked',
    },
    'example.actions': {
        ZH: '整改: 修复连接泄漏; 负责人: 张三; 期限: 2026-12-15',
        EN: 'action: fix the leak; owner: Zhang San; deadline: 2026-12-15',
    },
    'example.lessons': {
        ZH: '经验: 连接池需要监控',
        EN: 'lessons: monitor the pool',
    },
    'example.steps': {
        ZH: '已重启应用服务器，观察中',
        EN: 'restarted the app server, watching',
    },
    'todo.steps_text': {
        ZH: (
            '待填写（to be completed）：通过 POST /api/v1/incidents/{id}/notes 添加处置备注（不带'
            '前缀），例如：{example}'
        ),
        EN: (
            'To be completed: add a plain note (no prefix) through POST /api/v1/incidents/{id}/no'
            'tes, for example: {example}'
        ),
    },
    'entry.first_failure': {
        ZH: '首次失败',
        EN: 'First failure',
    },
    'entry.opened': {
        ZH: '发现并开单',
        EN: 'Detected, incident opened',
    },
    'entry.reopened': {
        ZH: '重新打开',
        EN: 'Reopened',
    },
    'entry.notified': {
        ZH: '已通知',
        EN: 'Notified',
    },
    'entry.notify_failed': {
        ZH: '通知失败',
        EN: 'Notification failed',
    },
    'entry.escalated': {
        ZH: '升级通知',
        EN: 'Escalated',
    },
    'entry.reminder': {
        ZH: '提醒',
        EN: 'Reminder',
    },
    'entry.response_breached': {
        ZH: '响应超时',
        EN: 'Response SLA breached',
    },
    'entry.resolution_breached': {
        ZH: '解决超时',
        EN: 'Resolution SLA breached',
    },
    'entry.acknowledged': {
        ZH: '已确认',
        EN: 'Acknowledged',
    },
    'entry.note': {
        ZH: '备注',
        EN: 'Note',
    },
    'entry.resolved': {
        ZH: '已恢复',
        EN: 'Resolved',
    },
    'entry.flapping': {
        ZH: '状态反复，保持打开',
        EN: 'Flapping: kept open',
    },
    'entry.upgraded': {
        ZH: '预警升级为故障',
        EN: 'Warning became an outage',
    },
    'entry.correlated': {
        ZH: '并入大面积故障',
        EN: 'Joined a correlated outage',
    },
    'entry.joined': {
        ZH: '更多应用并入',
        EN: 'More apps joined',
    },
    'list.sep': {
        ZH: '、',
        EN: ', ',
    },
    'entry.mitigated': {
        ZH: '已缓解',
        EN: 'Mitigated',
    },
    'event.incident.joined': {
        ZH: '新应用并入',
        EN: 'more apps joined',
    },
    'kind.correlated': {
        ZH: '大面积故障',
        EN: 'Correlated outage',
    },
    'family.title': {
        ZH: '大面积故障 · {n} 个应用',
        EN: 'Correlated outage · {n} apps',
    },
    'family.apps': {
        ZH: '{n} 个应用',
        EN: '{n} apps',
    },
    'family.part_of': {
        ZH: '属于大面积故障',
        EN: 'Part of a correlated outage',
    },
    'family.no_sla': {
        ZH: '大面积故障本身不计响应和解决时限，各应用的故障各自计时，见下表。',
        EN: (
            "A correlated outage has no SLA clocks of its own: each app's incident keeps its "
            'own, listed below.'
        ),
    },
    'sec.family': {
        ZH: '涉及的应用',
        EN: 'Apps affected',
    },
    'family.empty': {
        ZH: '尚无应用并入。',
        EN: 'No app has joined yet.',
    },
    'col.incident': {
        ZH: '故障编号',
        EN: 'Incident',
    },
    'col.started': {
        ZH: '首次失败',
        EN: 'First failure',
    },
    'col.outage': {
        ZH: '故障时长',
        EN: 'Outage',
    },
    'basic.parent': {
        ZH: '所属大面积故障',
        EN: 'Correlated outage',
    },
    'basic.kind': {
        ZH: '类型',
        EN: 'Kind',
    },
    'monthly.correlated': {
        ZH: '大面积故障 · {n} 个应用',
        EN: 'Correlated outage · {n} apps',
    },
    'card.correlated': {
        ZH: '含大面积故障 {events} 起（{incidents} 个应用故障）',
        EN: 'incl. {events} correlated ({incidents} app incidents)',
    },
    'entry.report': {
        ZH: '生成本报告',
        EN: 'This report',
    },
    'event.incident.opened': {
        ZH: '故障告警',
        EN: 'incident opened',
    },
    'event.incident.reminder': {
        ZH: '未确认提醒',
        EN: 'reminder',
    },
    'event.incident.escalated': {
        ZH: '升级通知',
        EN: 'escalation',
    },
    'event.incident.acknowledged': {
        ZH: '确认通知',
        EN: 'acknowledged',
    },
    'event.incident.resolved': {
        ZH: '恢复通知',
        EN: 'resolved',
    },
    'notified.via': {
        ZH: '经 {notifier}（{event}）',
        EN: 'via {notifier} ({event})',
    },
    'notified.to': {
        ZH: '通知对象：{who}',
        EN: 'to {who}',
    },
    'sec.requests': {
        ZH: '服务请求',
        EN: 'Service requests',
    },
    'requests.count': {
        ZH: '请求数',
        EN: 'Requests',
    },
    'requests.within': {
        ZH: '{limit}内响应',
        EN: 'Answered within {limit}',
    },
    'requests.within_pct': {
        ZH: '及时响应率',
        EN: 'Answered in time',
    },
    'requests.breaches': {
        ZH: '响应超时',
        EN: 'Answered late',
    },
    'requests.pending': {
        ZH: '待响应（未到时限）',
        EN: 'Awaiting answer (within the limit)',
    },
    'requests.mtta': {
        ZH: '平均响应用时',
        EN: 'Mean time to answer',
    },
    'requests.reported_outages': {
        ZH: '人工登记的故障（已计入各应用故障数）：{n} 起',
        EN: 'Faults reported by people (counted in their apps\' incidents): {n}',
    },
    'col.channel': {
        ZH: '渠道',
        EN: 'Channel',
    },
    'channel.phone': {
        ZH: '电话',
        EN: 'Phone',
    },
    'channel.dingtalk': {
        ZH: '钉钉',
        EN: 'DingTalk',
    },
    'channel.onsite': {
        ZH: '现场',
        EN: 'On site',
    },
    'channel.other': {
        ZH: '其他',
        EN: 'Other',
    },
    # Word documents (monitor/reports/docx): column heads of tables the pages show as cards.
    'col.figure': {
        ZH: '指标',
        EN: 'Figure',
    },
    'col.value': {
        ZH: '数值',
        EN: 'Value',
    },
    'col.field': {
        ZH: '项目',
        EN: 'Item',
    },
    'col.content': {
        ZH: '内容',
        EN: 'Details',
    },
    'col.step': {
        ZH: '环节',
        EN: 'Step',
    },
    'col.since': {
        ZH: '距首次失败',
        EN: 'Since first failure',
    },
    'sec.overview': {
        ZH: '综述',
        EN: 'Summary',
    },
    'sec.recommendations': {
        ZH: '整改建议',
        EN: 'Recommendations',
    },
    'sec.traffic': {
        ZH: '访问量',
        EN: 'Traffic',
    },
    'sec.annex': {
        ZH: '附表  全部应用指标',
        EN: 'Annex: every app',
    },
    'cover.issuer': {
        ZH: '编制单位',
        EN: 'Issued by',
    },
    'cover.number': {
        ZH: '编号',
        EN: 'Number',
    },
    'cover.period': {
        ZH: '统计期间',
        EN: 'Period',
    },
    'cover.date': {
        ZH: '编制日期',
        EN: 'Date',
    },
    'sign.prepared': {
        ZH: '编制',
        EN: 'Prepared by',
    },
    'sign.reviewed': {
        ZH: '审核',
        EN: 'Reviewed by',
    },
    'sign.issued': {
        ZH: '签发',
        EN: 'Approved by',
    },
    'sign.date': {
        ZH: '日期',
        EN: 'Date',
    },
    'col.problems': {
        ZH: '存在问题',
        EN: 'Problems',
    },
    'col.actions': {
        ZH: '整改建议',
        EN: 'What to do',
    },
    'col.expires': {
        ZH: '到期日期',
        EN: 'Expires',
    },
    'col.checks': {
        ZH: '检查项',
        EN: 'Checks',
    },
    'col.pv': {
        ZH: '访问次数',
        EN: 'Page views',
    },
    'col.uv_sum': {
        ZH: '访问人数（按日累计）',
        EN: 'Visitors (daily, added up)',
    },
    'col.traffic_days': {
        ZH: '有记录天数',
        EN: 'Days recorded',
    },
    'annex.no': {
        ZH: '序号',
        EN: 'No.',
    },
    'annex.availability': {
        ZH: '可用率',
        EN: 'Avail.',
    },
    'annex.breaches': {
        ZH: '超时',
        EN: 'Late',
    },
    'annex.pv': {
        ZH: '访问次数',
        EN: 'Page views',
    },
    'annex.legend': {
        ZH: '可用率后带 * 的应用低于 {target} 的目标；超时为超时响应 / 超时解决的故障数；'
            '“—”表示没有数据。',
        EN: 'Availability marked * is below the {target} target; late counts late responses '
            '/ late resolutions; "—" means no data.',
    },
    'apps.detail_only': {
        ZH: '共 {total} 个应用，此处列出需要关注的 {shown} 个，全部应用见附表。',
        EN: '{total} apps: the {shown} needing attention are listed here, every app in the annex.',
    },
    'empty.recommendations': {
        ZH: '本月没有需要整改的应用。',
        EN: 'No app needs corrective work this month.',
    },
    'empty.traffic': {
        ZH: '本月没有访问量记录。',
        EN: 'No traffic was recorded this month.',
    },
    'rank.none_below': {
        ZH: '没有低于目标的应用。',
        EN: 'No app is below the target.',
    },
}
