"""Ticking attendance on an activity's sign-in roster in one write."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from wushe_desktop.domain.enums import AttendeeRole
from wushe_desktop.errors import NotFoundError
from wushe_desktop.services.activities import (
    ActivityInput,
    AttendeeInput,
    activity_detail,
    add_attendees,
    create_activity,
    set_attendance,
)
from wushe_desktop.services.context import Actor
from wushe_desktop.storage.db import Database


def _activity(db: Database, actor: Actor, title: str) -> ActivityInput:
    return ActivityInput(title=title, activity_type="festival_visit", start_date=date(2026, 10, 18))


def test_attendance_is_ticked_and_unticked_in_one_write(db: Database, actor: Actor) -> None:
    activity = create_activity(db, actor, _activity(db, actor, "重阳节敬老活动"))
    lines = add_attendees(db, actor, activity.uuid, [
        AttendeeInput(name="王桂花", signed=False), AttendeeInput(name="李秀英", signed=False),
        AttendeeInput(name="巴图", role=AttendeeRole.CARING_PERSON, signed=True)])
    assert set_attendance(db, actor, activity.uuid, {lines[0]: True, lines[1]: False, lines[2]: False}) == 2
    signed = {a.name: a.signed for a in activity_detail(db, actor, activity.uuid).attendees}
    assert signed == {"王桂花": True, "李秀英": False, "巴图": False}
    assert set_attendance(db, actor, activity.uuid, {lines[0]: True}) == 0


def test_a_line_of_another_activity_is_refused_and_nothing_changes(db: Database, actor: Actor) -> None:
    first = create_activity(db, actor, _activity(db, actor, "重阳节敬老活动"))
    second = create_activity(db, actor, _activity(db, actor, "健康讲座"))
    mine = add_attendees(db, actor, first.uuid, [AttendeeInput(name="王桂花", signed=False)])
    other = add_attendees(db, actor, second.uuid, [AttendeeInput(name="李秀英", signed=False)])
    for stranger in (other[0], uuid4()):
        with pytest.raises(NotFoundError) as info:
            set_attendance(db, actor, first.uuid, {mine[0]: True, stranger: True})
        assert info.value.code == "attendee.not_found"
    assert [a.signed for a in activity_detail(db, actor, first.uuid).attendees] == [False]
