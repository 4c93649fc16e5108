"""The duty rota at run time: the configured rotations plus the swaps people made since.

    board = OncallBoard(config, OverrideStore(data_dir))
    board.person("oncall:ops", now)      # the member on duty (or the next: "oncall:ops+1")
    board.status(now)                    # every rotation: now on duty, next, since, until
    await board.add_override("ops", Override("王芳", start, end, by="李明"))

Swaps made through the API or console are kept in data_dir/oncall-overrides.json (0600,
written whole through a rename), so a restart or a reload keeps them; the config's own
`overrides` stay in the config.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

import structlog

from alerting.payload import iso
from alerting.rota import Override, Rota, Shift
from monitor.core.config.model import Config
from monitor.core.config.oncall import OncallMember, Rotation, parse_target
from monitor.core.private import FILE_MODE, private_dir

log = structlog.get_logger("alerting.oncall")

OVERRIDES_FILE: Final = "oncall-overrides.json"


class OverrideStore:
    """Swaps by rotation id, on disk."""

    def __init__(self, data_dir: Path | None) -> None:
        self.path = data_dir / OVERRIDES_FILE if data_dir is not None else None
        self._by_rotation: dict[str, list[Override]] = self._read()
        self._lock = asyncio.Lock()

    def _read(self) -> dict[str, list[Override]]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return {rid: [Override(**item) for item in items] for rid, items in raw.items()}
        except (OSError, ValueError, TypeError):
            # A damaged file must not stop alerting: the config's rota still holds.
            log.exception("oncall_overrides_unreadable", path=str(self.path))
            return {}

    def of(self, rotation_id: str) -> tuple[Override, ...]:
        return tuple(self._by_rotation.get(rotation_id, ()))

    async def add(self, rotation_id: str, override: Override) -> None:
        async with self._lock:
            self._by_rotation.setdefault(rotation_id, []).append(override)
            await asyncio.to_thread(self._write)

    def _write(self) -> None:
        if self.path is None:
            return
        private_dir(self.path.parent)
        body = {rid: [asdict(o) for o in items] for rid, items in self._by_rotation.items()}
        fd, temporary = tempfile.mkstemp(prefix=".oncall.", dir=self.path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(body, out, ensure_ascii=False, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, self.path)


@dataclass(frozen=True, slots=True)
class RotationStatus:
    rotation: Rotation
    now: Shift | None
    next: Shift | None


class OncallBoard:
    def __init__(self, config: Config, store: OverrideStore) -> None:
        self.store = store
        self.apply_config(config)

    def apply_config(self, config: Config) -> None:
        self.config = config
        self.tz = ZoneInfo(config.service.timezone)
        self.rotations: Mapping[str, Rotation] = {r.id: r for r in config.oncall}

    def rota(self, rotation_id: str) -> Rota | None:
        rotation = self.rotations.get(rotation_id)
        if rotation is None:
            return None
        return Rota(rotation, self.tz, self.store.of(rotation_id))

    def person(self, target: str, t: float) -> OncallMember | None:
        """The member an escalation target "oncall:<id>" ("+1": the next) means at `t`."""
        parsed = parse_target(target)
        if parsed is None:
            return None
        rota = self.rota(parsed[0])
        if rota is None:
            return None
        shift = rota.next_after(t) if parsed[1] else rota.on_duty(t)
        return shift.member if shift else None

    def status(self, t: float) -> list[RotationStatus]:
        found = []
        for rotation_id in self.rotations:
            rota = self.rota(rotation_id)
            assert rota is not None
            found.append(RotationStatus(rota.rotation, rota.on_duty(t), rota.next_after(t)))
        return found

    async def add_override(self, rotation_id: str, override: Override) -> None:
        await self.store.add(rotation_id, override)
        log.info("oncall_override_added", rotation=rotation_id, member=override.member,
                 start=override.start, end=override.end, by=override.by)


def masked_mobile(mobile: str | None) -> str | None:
    """138****0011: enough to recognise, not enough to call."""
    if not mobile:
        return mobile
    return mobile[:3] + "****" + mobile[-4:] if len(mobile) >= 8 else "****"


def shift_json(shift: Shift | None, tz: ZoneInfo, *, reveal: bool) -> dict[str, Any] | None:
    if shift is None:
        return None
    member = shift.member
    return {"name": member.name,
            "mobile": member.mobile if reveal else masked_mobile(member.mobile),
            "since": iso(shift.since, tz), "until": iso(shift.until, tz),
            "override": shift.override}
