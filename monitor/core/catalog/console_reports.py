"""The console's reports page."""

from __future__ import annotations

from typing import Final

from monitor.core.catalog.langs import EN, ZH

WORDS: Final[dict[str, dict[str, str]]] = {
    "title": {ZH: "报告", EN: "Reports"},
    "generate": {ZH: "生成月报", EN: "Generate a monthly report"},
    "month": {ZH: "月份", EN: "Month"},
    "format": {ZH: "格式", EN: "Format"},
    "submit": {ZH: "生成", EN: "Generate"},
    "working": {ZH: "生成中…", EN: "Generating…"},
    "generate_hint": {ZH: "按记录的数据重新生成，覆盖同名文件；PDF 约需数秒。",
                      EN: "Built from the recorded data; replaces a file of the same name. "
                          "A PDF takes a few seconds."},
    "signin_to_generate": {ZH: "登录后可生成报告", EN: "Sign in to generate a report"},
    "done": {ZH: "已生成：", EN: "Written: "},
    "bad_month": {ZH: "月份无效：请填写 YYYY-MM，且不晚于本月。",
                  EN: "Not a valid month: give YYYY-MM, no later than this month."},
    "bad_format": {ZH: "格式无效：只能是 HTML、PDF、JSON 或 DOCX（Word）。",
                   EN: "Not a valid format: HTML, PDF, JSON or DOCX (Word)."},
    "render_failed": {ZH: "PDF 生成失败，请查看服务日志；HTML 与 JSON 仍可生成。",
                      EN: "The PDF could not be drawn (see the service log); HTML and JSON "
                          "still work."},
    "monthly": {ZH: "运维月报", EN: "Monthly reports"},
    "incidents": {ZH: "故障分析报告（恢复时生成的初稿）",
                  EN: "Incident analysis reports (drafts written on resolve)"},
    "no_monthly": {ZH: "还没有月报。", EN: "No monthly report yet."},
    "no_incidents": {ZH: "还没有故障报告。", EN: "No incident report yet."},
    "more_incidents": {ZH: "仅显示最新 {shown} 份，共 {total} 份。",
                       EN: "Showing the newest {shown} of {total}."},
    "written_at": {ZH: "生成于 {time}", EN: "written {time}"},
    "live": {ZH: "按当前记录重新生成", EN: "Current version"},
    "incident_page": {ZH: "故障详情", EN: "Incident"},
    "not_found": {ZH: "未找到", EN: "Not found"},
    "cannot_show": {ZH: "无法显示报告", EN: "Cannot show the report"},
    "no_such_report": {ZH: "没有这份报告：{name}", EN: "No such report: {name}"},
    "no_such_incident": {ZH: "没有这个故障：{name}", EN: "No such incident: {name}"},
    "back": {ZH: "返回报告列表", EN: "Back to reports"},
}
