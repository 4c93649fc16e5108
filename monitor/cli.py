"""`python -m monitor <command>`: argument parsing and dispatch (CONTRACT.md §1)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from monitor.commands import bench, check, demo, evaluate, report, run, traffic, validate
from monitor.commands import inventory as inventory_cmd
from monitor.commands import listing as listing_cmd
from monitor.core.logs import configure_logging

Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m monitor",
        description="浙政钉应用监控与故障响应服务 (monitoring and incident response for "
        "the district's government apps)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Command, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    p = command("run", run.run, "在前台运行监控服务 (run the service in the foreground; "
                "SIGHUP reloads the config, SIGTERM/SIGINT stop it)")
    p.add_argument("--config", required=True, help="配置文件 (config file, YAML)")

    p = command("validate", validate.run, "校验配置并列出全部问题 (validate the config; "
                "exit 0 valid, 2 invalid)")
    p.add_argument("--config", required=True, help="配置文件 (config file, YAML)")

    p = command("check", check.run, "立即运行全部检查一次并打印结果表 (run every check once; "
                "exit 0 all up, 1 any down, 2 config invalid)")
    p.add_argument("--config", required=True, help="配置文件 (config file, YAML)")
    p.add_argument("--app", help="只检查该应用 (only this app id)")
    p.add_argument("--json", action="store_true", help="输出 JSON (print JSON instead of a table)")

    p = command("report", report.run, "生成报告：运维月报或故障分析报告 (reports: the "
                "monthly quality report or an incident's analysis; exit 0, 2 on bad arguments)")
    report.add_arguments(p)

    p = command("evaluate", evaluate.run, "上架前评估：安全基线、可用性、性能、访问量 "
                "(pre-listing evaluation; exit 0 pass or conditional, 1 fail, 2 bad arguments)")
    evaluate.add_arguments(p)

    p = command("inventory", inventory_cmd.run, "应用清单治理：完整性、重复、僵尸/低频/低可用"
                "分类与整改建议 (inventory audit ahead of the quarterly notice; exit 0, "
                "2 on bad arguments)")
    inventory_cmd.add_arguments(p)

    p = command("listing", listing_cmd.run, "上架状态与整改：变更状态（含技术检查）、整改项、"
                "进展 (listing status with its technical check, rectification items; exit 0, "
                "1 refused or storage error, 2 bad arguments)")
    listing_cmd.add_arguments(p)

    p = command("traffic", traffic.run, "访问量：导入访问日志 (traffic: import web server "
                "access logs; exit 0 imported, 1 a file failed, 2 bad arguments)")
    traffic.add_arguments(p)

    p = command("demo", demo.run, "启动模拟应用与完整服务的演示 (start simulated apps and the "
                "full service against them)")
    p.add_argument("--port", type=int, default=8080, help="控制台端口 (console port; 0 = any)")
    p.add_argument("--data-dir", help="数据目录 (data dir; default a new temporary one)")
    p.add_argument("--outage-after", type=float, default=60.0,
                   help="计划故障开始的秒数 (seconds until the scripted outage)")
    p.add_argument("--outage-for", type=float, default=60.0,
                   help="计划故障持续秒数 (scripted outage length, seconds)")
    p.add_argument("--duration", type=float, default=0.0,
                   help="运行秒数后自动停止，0 表示直到 Ctrl-C "
                   "(stop after N seconds; 0 = until Ctrl-C)")

    p = command("bench", bench.run, "性能基准：本地目标农场 + 调度 + 探测 + 账本 (benchmark: "
                "local targets, scheduler, probes and ledger; prints figures)")
    p.add_argument("--checks", type=int, default=1000, help="HTTP 检查数 (number of HTTP checks)")
    p.add_argument("--interval", default="10s", help="检查间隔 (interval, e.g. 10s)")
    p.add_argument("--duration", default="60s", help="测量时长 (measured duration, e.g. 60s)")
    p.add_argument("--warmup", default="",
                   help="预热时长，默认一个间隔 (warm-up; default one interval)")
    p.add_argument("--farm-ports", type=int, default=16,
                   help="目标农场监听端口数 (listening ports of the target farm)")
    p.add_argument("--event-loop", choices=("uvloop", "asyncio"), default="uvloop",
                   help="事件循环 (event loop, as service.event_loop)")
    p.add_argument("--json", action="store_true", help="输出 JSON (print JSON)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Quiet by default: commands that run the service reconfigure from service.log_level.
    configure_logging("warning", "auto")
    handler: Command = args.handler
    return handler(args)
