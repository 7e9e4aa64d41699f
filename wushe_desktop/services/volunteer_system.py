"""Export volunteers and their confirmed hours for the national volunteer system.

A station cannot reach 全国志愿服务信息系统 (domain.md §3.7): the banner uploads a
spreadsheet instead. Its layout is not fixed nationally (❓), so the template is data:
the setting ``volunteer_system.template`` names, for each of the two sheets, the sheet's
title and its columns as ``[header, field]`` pairs, where ``field`` is one of
:data:`VOLUNTEER_FIELDS` or :data:`HOURS_FIELDS`. Without that setting
:data:`DEFAULT_TEMPLATE` is used. Columns may be left out, reordered and renamed freely.

The national system identifies volunteers by ID number, so the export carries them in
full (as text cells, never numbers Excel would round): it needs both the ``export`` and
the ``reveal_id`` permissions and writes one audit row saying who exported what. Only
confirmed (or corrected) hours count, as on certificates.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import select

from wushe_desktop.domain.enums import HoursStatus, StationMode
from wushe_desktop.errors import ConfigError, ValidationError, WusheError
from wushe_desktop.services.context import Actor, own_station, transaction
from wushe_desktop.services.permissions import Permission, require
from wushe_desktop.services.print_labels import enum_label
from wushe_desktop.services.station import get_setting, set_setting
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import (
    Activity,
    Setting,
    Volunteer,
    VolunteerHours,
    VolunteerTeam,
    VolunteerTeamMember,
)
from wushe_desktop.storage.tracking import AuditEntry, append_audit

SETTING_KEY = "volunteer_system.template"

# What each field means, by sheet (the column header is the template's choice).
VOLUNTEER_FIELDS: Mapping[str, str] = {
    "volunteer_no": "station's volunteer number",
    "national_no": "number in the national volunteer system",
    "name": "name",
    "sex": "sex (男/女)",
    "birth_date": "date of birth",
    "id_type": "kind of ID document",
    "id_number": "ID number, in full",
    "phone": "phone",
    "address": "address",
    "political_status": "political status",
    "skills": "skills",
    "availability": "available times",
    "teams": "teams, separated by 、",
    "registered_on": "date registered at the station",
    "insurance_policy": "insurance policy number",
    "insurance_until": "insurance valid until",
}
HOURS_FIELDS: Mapping[str, str] = {
    "volunteer_no": "station's volunteer number",
    "national_no": "number in the national volunteer system",
    "name": "volunteer's name",
    "id_number": "volunteer's ID number, in full",
    "service_date": "date of service",
    "sign_in": "signed in at",
    "sign_out": "signed out at",
    "hours": "credited hours (1 decimal)",
    "place": "place",
    "content": "what was done",
    "activity_no": "activity number",
    "activity_title": "activity title",
    "organiser": "organising body (the certificate issuer setting, else the station)",
    "evaluation": "evaluation",
    "recorded_by": "recorded by",
    "confirmed_by": "confirmed by",
    "confirmed_on": "date confirmed",
}

DEFAULT_TEMPLATE: Mapping[str, Any] = {
    "volunteers": {
        "sheet": "志愿者信息",
        "columns": [["姓名", "name"], ["性别", "sex"], ["出生日期", "birth_date"], ["证件类型", "id_type"],
                    ["证件号码", "id_number"], ["联系电话", "phone"], ["政治面貌", "political_status"],
                    ["居住地址", "address"], ["专业技能", "skills"], ["可服务时间", "availability"],
                    ["所属队伍", "teams"], ["全国系统志愿者编号", "national_no"], ["站内编号", "volunteer_no"],
                    ["登记日期", "registered_on"]],
    },
    "hours": {
        "sheet": "服务时长",
        "columns": [["姓名", "name"], ["证件号码", "id_number"], ["全国系统志愿者编号", "national_no"],
                    ["服务日期", "service_date"], ["开始时间", "sign_in"], ["结束时间", "sign_out"],
                    ["服务时长（小时）", "hours"], ["活动名称", "activity_title"], ["服务地点", "place"],
                    ["服务内容", "content"], ["组织单位", "organiser"], ["记录人", "recorded_by"],
                    ["审核人", "confirmed_by"]],
    },
}

_COUNTED = (HoursStatus.CONFIRMED, HoursStatus.CORRECTED)


@dataclass(frozen=True)
class SheetTemplate:
    """One sheet: its title and its (header, field) columns."""

    sheet: str
    columns: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Template:
    """The two sheets of the upload file."""

    volunteers: SheetTemplate
    hours: SheetTemplate


@dataclass(frozen=True)
class VolunteerSystemExport:
    """What was written.

    Attributes:
        path: The ``.xlsx`` file.
        volunteers: Volunteer rows written.
        hours_lines: Hours rows written (confirmed lines dated in the period).
        hours_tenths: Their total, in tenths of an hour.
    """

    path: Path
    volunteers: int
    hours_lines: int
    hours_tenths: int


#: Characters Excel refuses in a sheet's title.
_BAD_TITLE_CHARS = frozenset("\\/?*:[]")
#: Excel's longest sheet title.
MAX_SHEET_TITLE = 31


def _sheet(raw: Any, name: str, fields: Mapping[str, str]) -> SheetTemplate:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("columns"), list) or not raw["columns"]:
        raise ConfigError("volunteer_system.bad_template", sheet=name)
    title = str(raw.get("sheet") or name).strip()
    columns: list[tuple[str, str]] = []
    for item in raw["columns"]:
        if not (isinstance(item, list | tuple) and len(item) == 2 and all(isinstance(x, str) for x in item)):
            raise ConfigError("volunteer_system.bad_template", sheet=name)
        header, field = item[0].strip(), item[1].strip()
        if field not in fields:
            raise ConfigError("volunteer_system.unknown_field", sheet=name, field_name=field)
        columns.append((header or field, field))
    if len(title) > MAX_SHEET_TITLE or any(c in _BAD_TITLE_CHARS for c in title):
        raise ConfigError("volunteer_system.bad_sheet_name", sheet=name, name=title, max=MAX_SHEET_TITLE)
    return SheetTemplate(title, tuple(columns))


def parse_template(raw: Any) -> Template:
    """Check a template (the setting's value) and return it.

    Raises:
        ConfigError: ``volunteer_system.bad_template`` (not two sheets of columns),
            ``volunteer_system.unknown_field`` (a field this export does not know),
            ``volunteer_system.bad_sheet_name`` (a title Excel refuses: longer than 31
            characters or with one of ``\\ / ? * : [ ]``) or
            ``volunteer_system.same_sheet_names`` (both sheets have one title).
    """
    if not isinstance(raw, Mapping):
        raise ConfigError("volunteer_system.bad_template", sheet="")
    template = Template(_sheet(raw.get("volunteers"), "volunteers", VOLUNTEER_FIELDS),
                        _sheet(raw.get("hours"), "hours", HOURS_FIELDS))
    if template.volunteers.sheet.casefold() == template.hours.sheet.casefold():
        raise ConfigError("volunteer_system.same_sheet_names", sheet="hours", name=template.hours.sheet)
    return template


def template_value(template: Template) -> dict[str, Any]:
    """A template as the setting stores it (the inverse of :func:`parse_template`)."""
    def sheet(part: SheetTemplate) -> dict[str, Any]:
        return {"sheet": part.sheet, "columns": [[header, field] for header, field in part.columns]}

    return {"volunteers": sheet(template.volunteers), "hours": sheet(template.hours)}


def default_template() -> Template:
    """The layout used while the station has chosen none (:data:`DEFAULT_TEMPLATE`)."""
    return parse_template(DEFAULT_TEMPLATE)


def current_template(db: Database) -> Template:
    """The template the export uses now: the setting's, else :func:`default_template`.

    Raises:
        ConfigError: the stored setting is malformed (see :func:`parse_template`).
    """
    value = get_setting(db, SETTING_KEY)
    return default_template() if value is None else parse_template(value)


def save_template(db: Database, actor: Actor, template: Template | Mapping[str, Any]) -> Template:
    """Check a template and store it as the setting (needs ``manage_settings``; audited).

    Nothing is stored when the check fails.

    Raises:
        PermissionDenied: ``permission.manage_settings``.
        ConfigError: as :func:`parse_template`.
    """
    require(actor, Permission.MANAGE_SETTINGS)
    raw = template_value(template) if isinstance(template, Template) else template
    checked = parse_template(raw)
    set_setting(db, actor, SETTING_KEY, template_value(checked))
    return checked


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _clock(value: Any) -> str:
    return value.strftime("%H:%M") if value is not None else ""


def _teams(session: Any, ids: Sequence[UUID]) -> dict[UUID, list[str]]:
    found: dict[UUID, list[str]] = {}
    rows = session.execute(
        select(VolunteerTeamMember.volunteer_id, VolunteerTeam.name)
        .join(VolunteerTeam, VolunteerTeam.uuid == VolunteerTeamMember.team_id)
        .where(VolunteerTeamMember.deleted_at.is_(None), VolunteerTeam.deleted_at.is_(None))
        .order_by(VolunteerTeam.name))
    wanted = set(ids)
    for volunteer_id, name in rows:
        if volunteer_id in wanted:
            found.setdefault(volunteer_id, []).append(name)
    return found


def _volunteer_values(v: Volunteer, teams: list[str]) -> dict[str, str]:
    return {
        "volunteer_no": v.volunteer_no, "national_no": v.national_no, "name": v.name,
        "sex": enum_label(v.sex), "birth_date": _text(v.birth_date), "id_type": enum_label(v.id_type),
        "id_number": v.id_number or "", "phone": v.phone, "address": v.address,
        "political_status": v.political_status,
        "skills": "、".join([*v.skills, *([v.skills_text] if v.skills_text else [])]),
        "availability": v.availability, "teams": "、".join(teams), "registered_on": _text(v.registered_on),
        "insurance_policy": v.insurance_policy, "insurance_until": _text(v.insurance_until),
    }


def _hours_values(h: VolunteerHours, v: Volunteer, activity: Activity | None, organiser: str) -> dict[str, str]:
    return {
        "volunteer_no": v.volunteer_no, "national_no": v.national_no, "name": v.name,
        "id_number": v.id_number or "", "service_date": _text(h.service_date), "sign_in": _clock(h.sign_in),
        "sign_out": _clock(h.sign_out), "hours": f"{h.credited_tenths / 10:.1f}",
        "place": h.place or (activity.place if activity is not None else ""), "content": h.content,
        "activity_no": activity.activity_no if activity is not None else "",
        "activity_title": activity.title if activity is not None else "", "organiser": organiser,
        "evaluation": h.evaluation, "recorded_by": h.recorded_by, "confirmed_by": h.confirmed_by,
        "confirmed_on": _text(h.confirmed_at.date() if h.confirmed_at is not None else None),
    }


def _write_book(path: Path, sheets: Sequence[tuple[SheetTemplate, list[dict[str, str]]]],
                numeric_fields: frozenset[str]) -> None:
    from openpyxl import Workbook  # deferred: a large import
    from openpyxl.styles import Font

    book = Workbook()
    first = True
    for template, rows in sheets:
        sheet = book.active if first else book.create_sheet()
        first = False
        assert sheet is not None
        sheet.title = template.sheet[:31]
        sheet.append([header for header, _ in template.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in rows:
            cells: list[object] = []
            for _, field in template.columns:
                text = values[field]
                cells.append(float(text) if field in numeric_fields and text else text)
            sheet.append(cells)
        for index, (header, _) in enumerate(template.columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(10, min(40, len(header) * 2 + 4))
        # ID numbers and phone numbers stay text: Excel would round an 18-digit number
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.number_format = "@"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    try:
        book.save(temp)
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def export_for_volunteer_system(db: Database, actor: Actor, out: Path, *, date_from: date | None = None,
                                date_to: date | None = None,
                                progress: Callable[[int, int], None] | None = None) -> VolunteerSystemExport:
    """Write the upload spreadsheet: every registered volunteer, and confirmed hours in the period.

    Args:
        db: The station database.
        actor: Who exports (needs ``export`` and ``reveal_id``; audited).
        out: The ``.xlsx`` file to write (replaced whole, or left as it was on failure).
        date_from: First service date of the hours included (``None``: from the start).
        date_to: Last service date included (``None``: up to today and beyond).
        progress: Called with (done, total) steps.

    Raises:
        PermissionDenied: ``permission.export`` or ``permission.reveal_id``.
        ValidationError: ``period.order`` when ``date_from`` is after ``date_to``.
        ConfigError: the template setting is malformed (see :func:`parse_template`).
        WusheError: ``export.cannot_write`` when the file cannot be written.
    """
    require(actor, Permission.EXPORT)
    require(actor, Permission.REVEAL_ID)
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ValidationError("period.order", field="date_from")
    with transaction(db, actor) as s:
        station = own_station(s, StationMode.STATION)
        setting = s.get(Setting, SETTING_KEY)
        template = parse_template(setting.value if setting is not None else DEFAULT_TEMPLATE)
        issuer = s.get(Setting, "certificate.issuing_body")
        organiser = str(issuer.value).strip() if issuer is not None and issuer.value else ""
        organiser = organiser or station.name
        volunteers = list(s.scalars(select(Volunteer).where(Volunteer.deleted_at.is_(None))
                                    .order_by(Volunteer.volunteer_no)))
        by_id = {v.uuid: v for v in volunteers}
        teams = _teams(s, list(by_id))
        query = (select(VolunteerHours).where(VolunteerHours.deleted_at.is_(None),
                                              VolunteerHours.status.in_(_COUNTED))
                 .order_by(VolunteerHours.service_date, VolunteerHours.created_at))
        if date_from is not None:
            query = query.where(VolunteerHours.service_date >= date_from)
        if date_to is not None:
            query = query.where(VolunteerHours.service_date <= date_to)
        hours = [h for h in s.scalars(query) if h.volunteer_id in by_id]
        activity_ids = {h.activity_id for h in hours if h.activity_id is not None}
        activities = {a.uuid: a for a in s.scalars(select(Activity).where(Activity.uuid.in_(activity_ids)))}
        total = len(volunteers) + len(hours)
        volunteer_rows = []
        for done, v in enumerate(volunteers, start=1):
            volunteer_rows.append(_volunteer_values(v, teams.get(v.uuid, [])))
            if progress is not None and done % 500 == 0:
                progress(done, total)
        hours_rows = []
        for done, h in enumerate(hours, start=len(volunteers) + 1):
            activity = activities.get(h.activity_id) if h.activity_id is not None else None
            hours_rows.append(_hours_values(h, by_id[h.volunteer_id], activity, organiser))
            if progress is not None and done % 500 == 0:
                progress(done, total)
        try:
            _write_book(out, [(template.volunteers, volunteer_rows), (template.hours, hours_rows)],
                        frozenset({"hours"}))
        except OSError as exc:
            raise WusheError("export.cannot_write", field="path", reason=exc.strerror or str(exc)) from exc
        tenths = sum(h.credited_tenths for h in hours)
        append_audit(s, AuditEntry("volunteer_system_export", "volunteer", "", {
            "file": out.name, "volunteers": len(volunteer_rows), "hours_lines": len(hours_rows),
            "hours_tenths": tenths, "from": _text(date_from), "to": _text(date_to)}))
        if progress is not None:
            progress(total, total)
    return VolunteerSystemExport(out, len(volunteer_rows), len(hours_rows), tenths)
