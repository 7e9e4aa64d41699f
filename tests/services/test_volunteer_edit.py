"""Editing a volunteer without showing the ID number, and a team's members."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from wushe_desktop.domain.enums import Role
from wushe_desktop.domain.validation import id_number_check_char
from wushe_desktop.errors import NotFoundError, PermissionDenied
from wushe_desktop.services.context import Actor
from wushe_desktop.services.volunteers import (
    TeamInput,
    VolunteerInput,
    add_to_team,
    create_team,
    list_team_members,
    register_volunteer,
    remove_from_team,
    update_volunteer,
    volunteer_form_input,
)
from wushe_desktop.storage.db import Database

TODAY = date(2026, 11, 25)
SUPERVISOR = Actor("高娃", Role.SUPERVISOR)


def make_id(first17: str) -> str:
    return first17 + id_number_check_char(first17)


SURINA_ID = make_id("15010220040315024")


def test_edit_keeps_the_id_number_and_phone_left_empty(db: Database, actor: Actor) -> None:
    saved = register_volunteer(db, actor, VolunteerInput(
        name="苏日娜", id_number=SURINA_ID, phone="13947123456", address="毕克齐镇", political_status="共青团员",
        registered_on=date(2026, 2, 20), teams=("蒙汉双语服务队",)), today=TODAY).volunteer
    form = volunteer_form_input(db, actor, saved.uuid)
    assert (form.id_number, form.phone) == ("", "")  # never shown in full
    assert (form.name, form.address, form.political_status, form.teams, form.birth_date) == (
        "苏日娜", "毕克齐镇", "共青团员", ("蒙汉双语服务队",), date(2004, 3, 15))

    kept = update_volunteer(db, actor, saved.uuid, replace(form, address="察素齐镇"),
                            today=TODAY, keep_id_number=True, keep_phone=True).volunteer
    assert (kept.id_number_masked, kept.phone_masked, kept.address) == (
        saved.id_number_masked, saved.phone_masked, "察素齐镇")
    cleared = update_volunteer(db, actor, saved.uuid, form, today=TODAY).volunteer
    assert (cleared.id_number_masked, cleared.phone_masked) == (None, "")  # without keep: emptied as asked
    with pytest.raises(PermissionDenied):
        volunteer_form_input(db, SUPERVISOR, saved.uuid)


def test_team_members_follow_joining_and_leaving(db: Database, actor: Actor) -> None:
    team = create_team(db, actor, TeamInput(name="敬老服务队", leader_name="巴特尔"))
    a = register_volunteer(db, actor, VolunteerInput(name="苏日娜"), today=TODAY).volunteer
    b = register_volunteer(db, actor, VolunteerInput(name="其木格"), today=TODAY).volunteer
    assert list_team_members(db, actor, team.uuid) == []
    add_to_team(db, actor, team.uuid, b.uuid)
    add_to_team(db, actor, team.uuid, a.uuid)
    assert [v.name for v in list_team_members(db, actor, team.uuid)] == ["苏日娜", "其木格"]  # by number
    assert list_team_members(db, actor, team.uuid)[0].teams == ("敬老服务队",)
    remove_from_team(db, actor, team.uuid, a.uuid)
    assert [v.name for v in list_team_members(db, actor, team.uuid)] == ["其木格"]
    with pytest.raises(NotFoundError) as missing:
        list_team_members(db, actor, a.uuid)
    assert missing.value.code == "team.not_found"
