"""The inventory audit report's page words; the audit's own words (findings, rules,
rectifications, the workbook) are the `inventory_audit` area."""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
    'inv.title': {ZH: '应用清单治理', EN: 'Inventory audit'},
    'inv.heading': {ZH: '应用清单治理报告', EN: 'App inventory audit'},
    'inv.generated': {ZH: '生成时间', EN: 'Generated'},
    'inv.notice_day': {ZH: '通报日', EN: 'Notice day'},
    'inv.quarter_end': {ZH: '季度末', EN: 'end of quarter'},
    'inv.to_notice': {ZH: '距通报', EN: 'Until the notice'},
    'inv.days': {ZH: '{n} 天', EN: '{n} days'},
    'inv.deadline': {ZH: '整改期限', EN: 'Rectification deadline'},
    'inv.months': {ZH: '统计月份', EN: 'Months counted'},
    'inv.month_sep': {ZH: '、', EN: ', '},
    'inv.no_probe_data': {
        ZH: '数据目录中尚无监测数据：可达性与可用率未知。',
        EN: 'No monitoring data in the data directory yet: reachability and availability '
            'are unknown.',
    },
    'inv.summary': {ZH: '汇总', EN: 'Summary'},
    'inv.apps_total': {ZH: '应用总数', EN: 'Apps'},
    'inv.missing_fields': {ZH: '缺失信息', EN: 'Missing details'},
    'inv.duplicated': {ZH: '重复登记', EN: 'Listed twice'},
    'inv.to_rectify': {ZH: '需整改', EN: 'To rectify'},
    'inv.unreachable': {ZH: '当前不可达', EN: 'Unreachable now'},
    'inv.no_traffic': {ZH: '无访问量数据', EN: 'No traffic data'},
    'inv.apps_heading': {ZH: '应用（需关注的在前）', EN: 'Apps (those needing attention first)'},
    'inv.department': {ZH: '部门', EN: 'Department'},
    'inv.category': {ZH: '分类', EN: 'Category'},
    'inv.tier': {ZH: '等级', EN: 'Tier'},
    'inv.owner': {ZH: '负责人', EN: 'Owner'},
    'inv.no_owner': {ZH: '未登记', EN: 'not on record'},
    'inv.reach': {ZH: '可达性', EN: 'Reachability'},
    'inv.duplicates': {ZH: '重复', EN: 'Duplicates'},
    'inv.traffic': {ZH: '访问量', EN: 'Traffic'},
    'inv.trend': {ZH: '趋势：{trend}', EN: 'Trend: {trend}'},
    'inv.month': {ZH: '月份', EN: 'Month'},
    'inv.availability': {ZH: '可用率', EN: 'Availability'},
    'inv.probes_failed': {ZH: '探测/失败', EN: 'Runs / failed'},
    'inv.visits': {ZH: '访问人次', EN: 'Visits'},
    'inv.rectify': {ZH: '整改建议', EN: 'Rectification'},
    'inv.deadline_paren': {ZH: '（期限 {date}）', EN: ' (deadline {date})'},
    'inv.rules': {ZH: '认定规则与说明', EN: 'Rules and notes'},
}
