"""One catalog of every word a person reads, in zh-CN (the default) and English.

The words are data, one module per area (the service, config problems, the command line,
notifications, reports, the console and its pages, the pre-listing evaluation, listing
notices, probe failure reasons), all of one shape, {key: {language: text}}, read through one
lookup, `pick`. Templates, notifiers, reports and the CLI look words up here; they hold no UI
text of their own. A test checks that every key has both languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from monitor.core.catalog import (
    cli,
    config,
    console,
    console_app,
    console_governance,
    console_incidents,
    console_oncall,
    console_reports,
    console_wall,
    evaluate,
    inventory,
    inventory_audit,
    listing,
    notify,
    reasons,
    report_labels,
    report_methods,
    report_quarterly,
    service,
    units,
)
from monitor.core.catalog.langs import EN, LANGS, ZH

__all__ = ["AREAS", "EN", "LANGS", "ZH", "Words", "missing_translations", "pick"]

Words = Mapping[str, Mapping[str, str]]

AREAS: Final[Mapping[str, Words]] = {
    "service": service.WORDS,
    "config": config.WORDS,
    "cli": cli.WORDS,
    "reasons": reasons.WORDS,
    "notify": notify.WORDS,
    "report_labels": report_labels.WORDS,
    "report_methods": report_methods.WORDS,
    "report_quarterly": report_quarterly.WORDS,
    "evaluate": evaluate.WORDS,
    "inventory": inventory.WORDS,
    "inventory_audit": inventory_audit.WORDS,
    "listing": listing.WORDS,
    "console": console.WORDS,
    "console_app": console_app.WORDS,
    "console_governance": console_governance.WORDS,
    "console_incidents": console_incidents.WORDS,
    "console_oncall": console_oncall.WORDS,
    "console_reports": console_reports.WORDS,
    "console_wall": console_wall.WORDS,
    "units": units.WORDS,
}


def pick(table: Words, lang: str, key: str, **values: object) -> str:
    """`key` of an area's words in `lang` (zh-CN where it has no such language), formatted
    with `values`. Every word of the project is read through this one function; a missing
    key raises KeyError (a typo fails its test)."""
    entry = table[key]
    template = entry.get(lang) or entry[ZH]
    return template.format(**values) if values else template


def missing_translations() -> list[str]:
    """`area.key` of every word that lacks a language (empty when the catalog is whole)."""
    return [f"{area}.{key}" for area, words in AREAS.items() for key, entry in words.items()
            if any(not entry.get(lang) for lang in LANGS)]
