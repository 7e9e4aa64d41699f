"""What every print-data builder shares: the open read session and what it looks up.

:class:`Sources` is made once per print inside a read session; the builders in
:mod:`~wushe_desktop.services.print_cases` and
:mod:`~wushe_desktop.services.print_station` take it and return the frozen dataclasses of
:mod:`wushe_desktop.printing.data`. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.domain.enums import Role
from wushe_desktop.domain.validation import age_on, mask_id_number
from wushe_desktop.services.context import station_zone
from wushe_desktop.services.print_labels import (
    DISABILITY_CATEGORY_LABELS,
    DISABILITY_GRADE_LABELS,
    Taxonomies,
    load_taxonomies,
)
from wushe_desktop.storage.models import Community, Person, Staff, Station

__all__ = ["Sources", "age_at", "disability_text", "parse_iso_date"]


@dataclass
class Sources:
    """A read session and the small lookups every form needs, cached per print.

    Attributes:
        session: The open read session.
        station: This database's own station row.
        today: The print date (also the date ages are computed on).
        reveal: Whether ID numbers print in full; only needed where an ID number hides
            inside another value (a disability certificate number), since the
            templates mask plain ID and phone fields themselves.
        taxonomies: The station's vocabularies.
        zone: The station's time zone, for stored UTC times.
    """

    session: Session
    station: Station
    today: date
    reveal: bool
    taxonomies: Taxonomies
    zone: tzinfo | None
    _staff: dict[UUID, Staff] | None = field(default=None, repr=False)
    _communities: dict[UUID, str] | None = field(default=None, repr=False)

    @classmethod
    def open(cls, session: Session, station: Station, today: date, reveal: bool) -> Sources:
        """Collect the lookups for one print."""
        return cls(session, station, today, reveal, load_taxonomies(session, station.code), station_zone(session))

    def for_origin(self, origin: str) -> Sources:
        """The lookups of the station that owns a record (a centre prints stations' copies).

        The page header then names that station, and labels and staff names come from its
        own vocabularies and staff list.
        """
        if origin == self.station.code:
            return self
        station = self.session.scalars(select(Station).where(Station.code == origin)).first()
        if station is None:
            return self
        return Sources(self.session, station, self.today, self.reveal, load_taxonomies(self.session, origin),
                       self.zone)

    @property
    def origin(self) -> str:
        """This station's code."""
        return self.station.code

    def staff(self) -> dict[UUID, Staff]:
        """Every staff row of the station, by uuid (a small table)."""
        if self._staff is None:
            self._staff = {s.uuid: s for s in self.session.scalars(
                select(Staff).where(Staff.origin == self.origin))}
        return self._staff

    def staff_name(self, staff_id: UUID | None) -> str:
        """A staff member's name ("" when not set or unknown)."""
        if staff_id is None:
            return ""
        row = self.staff().get(staff_id)
        return row.name if row is not None else ""

    def station_head(self) -> str:
        """The name of the active station head (站长), "" if none is registered."""
        heads = sorted(
            (s for s in self.staff().values()
             if s.role == Role.STATION_HEAD and s.active and s.deleted_at is None),
            key=lambda s: (s.joined_on or date.min, s.name))
        return heads[-1].name if heads else ""

    def community(self, community_id: UUID | None) -> str:
        """A village or community's name ("" when not set)."""
        if community_id is None:
            return ""
        if self._communities is None:
            self._communities = {c.uuid: c.name for c in self.session.scalars(
                select(Community).where(Community.origin == self.origin))}
        return self._communities.get(community_id, "")

    def local_date(self, moment: datetime | None) -> date | None:
        """The station's calendar date of a stored (UTC) moment."""
        local = self.local_time(moment)
        return local.date() if local is not None else None

    def local_time(self, moment: datetime | None) -> datetime | None:
        """A stored (UTC) moment in the station's time zone, without tzinfo for printing."""
        if moment is None:
            return None
        return moment.astimezone(self.zone).replace(tzinfo=None)

    def address(self, person: Person) -> str:
        """The current residence: village or community, then the detail, without repeating it."""
        village = self.community(person.community_id)
        detail = person.address.strip()
        if village and village not in detail:
            return village + detail
        return detail

    def station_contact(self) -> str:
        """The station's work phone and address, as printed on forms for the public."""
        return "  ".join(part for part in (self.station.phone, self.station.address) if part)


def age_at(birth: date | None, on: date) -> int | None:
    """Full years of age on a day, None when unknown (or born after it)."""
    if birth is None or birth > on:
        return None
    return age_on(birth, on)


def disability_text(person: Person, *, reveal: bool) -> str:
    """``肢体残疾二级  证号：150102********12342``: category, grade and certificate number.

    The certificate number begins with the holder's ID number, so it is masked like one
    unless IDs are revealed.
    """
    parts = []
    if person.disability_category is not None:
        parts.append(DISABILITY_CATEGORY_LABELS.get(person.disability_category, str(person.disability_category))
                     + (DISABILITY_GRADE_LABELS.get(person.disability_grade, "")
                        if person.disability_grade is not None else ""))
    number = person.disability_cert_no.strip()
    if number:
        shown = number if reveal else (mask_id_number(number[:18]) or "") + number[18:]
        parts.append(f"证号：{shown}")
    return "  ".join(parts)


def parse_iso_date(value: Any) -> date | None:
    """A date kept as ISO text in a JSON column (None or garbage gives None)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None
