"""The console's status wall."""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
    "wall.title": {ZH: "状态墙", EN: "Status wall"},
    "wall.apps": {ZH: "{n} 个应用", EN: "{n} apps"},
    "wall.ungrouped": {ZH: "未分组", EN: "No department"},
    "wall.never": {ZH: "尚未运行", EN: "not run yet"},
    "wall.blind": {ZH: "监测异常，无法判断：{why}", EN: "the monitor could not tell: {why}"},
    "wall.since": {ZH: "自 {at} 起", EN: "since {at}"},
    "wall.maintenance": {ZH: "维护中", EN: "maintenance"},
    "wall.ack": {ZH: "处理中", EN: "in hand"},
    "wall.none_match": {ZH: "没有符合筛选条件的应用。", EN: "No app matches the filters."},
    "wall.live": {ZH: "实时", EN: "live"},
    "wall.offline": {ZH: "连接中断，正在重连…", EN: "offline, reconnecting…"},
    "wall.static": {ZH: "静态页面", EN: "static page"},
    "wall.kiosk": {ZH: "大屏模式", EN: "Kiosk mode"},
    "wall.count.up": {ZH: "正常", EN: "up"},
    "wall.count.down": {ZH: "故障", EN: "down"},
    "wall.count.ack": {ZH: "处理中", EN: "in hand"},
    "wall.count.unknown": {ZH: "监测异常", EN: "unknown"},
    "filter.department": {ZH: "部门", EN: "Department"},
    "filter.category": {ZH: "类别", EN: "Category"},
    "filter.tier": {ZH: "等级", EN: "Tier"},
    "filter.all": {ZH: "全部", EN: "All"},
    "filter.apply": {ZH: "筛选", EN: "Filter"},
    "filter.clear": {ZH: "清除", EN: "Clear"},
    "inc.title": {ZH: "进行中的故障", EN: "Open incidents"},
    "inc.none": {ZH: "当前没有进行中的故障。", EN: "No open incident."},
    "inc.respond": {ZH: "响应", EN: "Respond"},
    "inc.resolve": {ZH: "恢复", EN: "Resolve"},
    "inc.due": {ZH: "时限 {at}", EN: "by {at}"},
    "inc.responded": {ZH: "{by} 已响应，用时 {took}", EN: "{by} responded in {took}"},
    "inc.breached": {ZH: "已超时", EN: "overdue"},
    "inc.late_ack": {ZH: "超时响应", EN: "Late response"},
    "wall.stale": {ZH: "监测数据已中断 {n} 秒", EN: "Monitoring data interrupted for {n} s"},
    "wall.stale.stream": {ZH: "与监测服务的实时连接已断开，墙上的状态不再可信。",
                          EN: "The live connection to the monitor is lost: what the wall "
                              "shows can no longer be trusted."},
    "wall.stale.results": {ZH: "超过两个检查周期没有新的检查结果，墙上的状态不再可信。",
                           EN: "No new check result for more than two check intervals: what "
                               "the wall shows can no longer be trusted."},
    "wall.page": {ZH: "第 {p}/{n} 页", EN: "Page {p}/{n}"},
    "health.title": {ZH: "监测服务自身", EN: "The monitor itself"},
    "health.checks": {ZH: "检查", EN: "Checks"},
    "health.running": {ZH: "运行中", EN: "running"},
    "health.newest": {ZH: "最新结果", EN: "Newest result"},
    "health.ago": {ZH: "前", EN: " ago"},
    "health.never": {ZH: "尚无", EN: "none yet"},
    "health.backlog": {ZH: "待发通知", EN: "Notifications waiting"},
    "health.guard": {ZH: "网络守卫", EN: "Connectivity guard"},
    "health.guard.off": {ZH: "未配置", EN: "not configured"},
    "health.guard.ok": {ZH: "网络正常", EN: "connected"},
    "health.guard.cut": {ZH: "监测机断网", EN: "monitor cut off"},
}
