"""The four record lists: people served, cases, volunteers, activities.

Each ``*_spec`` function builds the columns (translated headers, cell texts that only
read plain dictionaries, so an export can format them on the worker) and the filter of
one list.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from wushe_desktop.domain.enums import CaseStage
from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.ui.labels import approval_labels, risk_labels, sex_labels, stage_labels
from wushe_desktop.ui.list_page import ListSpec
from wushe_desktop.ui.list_sources import (
    ActivitiesSource,
    ActivityRow,
    CaseRow,
    CasesSource,
    PeopleSource,
    PersonRow,
    VolunteerRow,
    VolunteersSource,
)
from wushe_desktop.ui.table_model import Column, text_of

# Stages offered by the cases filter, in the order of the work.
FILTER_STAGES = (CaseStage.INTAKE, CaseStage.ASSESSMENT, CaseStage.PLANNING, CaseStage.INTERVENTION,
                 CaseStage.EVALUATION, CaseStage.CLOSED, CaseStage.REFERRED, CaseStage.SUSPENDED,
                 CaseStage.FOLLOW_UP, CaseStage.NOT_OPENED)


Labels = dict[str, dict[str, str]]


def _label(labels: Labels, kind: TaxonomyKind, code: str) -> str:
    return labels.get(kind.value, {}).get(code, code)


def _labelled(labels: Labels, kind: TaxonomyKind, codes: tuple[str, ...], separator: str) -> str:
    vocabulary = labels.get(kind.value, {})
    return separator.join(vocabulary.get(code, code) for code in codes)


def list_separator() -> str:
    """What stands between the items of a list inside one cell."""
    return QCoreApplication.translate("Lists", ", ")


def people_spec(new_record: Callable[[QWidget], None] | None = None) -> ListSpec[PersonRow]:
    """The list of people served; filter: category."""
    sexes, sep = sex_labels(), list_separator()
    spec: ListSpec[PersonRow] = ListSpec(
        kind="people",
        title=QCoreApplication.translate("PeopleList", "People served"),
        source=PeopleSource(),
        columns=[],
        search_hint=QCoreApplication.translate(
            "PeopleList", "Search: name, pinyin initials (e.g. wgh), last digits of the ID number or phone"),
        export_name=QCoreApplication.translate("PeopleList", "people-served"),
        filter_all=QCoreApplication.translate("PeopleList", "All categories"),
        filter_options=lambda labels: list(labels.get(TaxonomyKind.PERSON_CATEGORY.value, {}).items()),
        new_record=new_record,
    )
    labels = spec.labels
    spec.columns = [
        Column(QCoreApplication.translate("PeopleList", "Name"), lambda r: r.name),
        Column(QCoreApplication.translate("PeopleList", "Sex"), lambda r: sexes.get(r.sex, "") if r.sex else ""),
        Column(QCoreApplication.translate("PeopleList", "Age"), lambda r: text_of(r.age), lambda r: r.age,
               numeric=True),
        Column(QCoreApplication.translate("PeopleList", "ID number"), lambda r: r.id_masked),
        Column(QCoreApplication.translate("PeopleList", "Phone"), lambda r: r.phone_masked),
        Column(QCoreApplication.translate("PeopleList", "Categories"), lambda r: _labelled(labels, TaxonomyKind.PERSON_CATEGORY, r.categories, sep)),
        Column(QCoreApplication.translate("PeopleList", "Address"), lambda r: r.address),
    ]
    return spec


def cases_spec() -> ListSpec[CaseRow]:
    """The list of cases; filter: stage."""
    stages, risks, approvals = stage_labels(), risk_labels(), approval_labels()
    spec: ListSpec[CaseRow] = ListSpec(
        kind="cases",
        title=QCoreApplication.translate("CasesList", "Cases"),
        source=CasesSource(),
        columns=[],
        search_hint=QCoreApplication.translate(
            "CasesList", "Search: case number, client's name or pinyin initials, last digits of the ID number"),
        export_name=QCoreApplication.translate("CasesList", "cases"),
        filter_all=QCoreApplication.translate("CasesList", "All stages"),
        filter_options=lambda _labels: [(s.value, stages[s]) for s in FILTER_STAGES],
    )
    labels = spec.labels
    spec.columns = [
        Column(QCoreApplication.translate("CasesList", "Case number"), lambda r: r.case_no),
        Column(QCoreApplication.translate("CasesList", "Client"), lambda r: r.name),
        Column(QCoreApplication.translate("CasesList", "Stage"), lambda r: stages[r.stage],
               lambda r: FILTER_STAGES.index(r.stage) if r.stage in FILTER_STAGES else 99),
        Column(QCoreApplication.translate("CasesList", "Opening"), lambda r: approvals[r.opening_status]),
        Column(QCoreApplication.translate("CasesList", "Intake date"), lambda r: text_of(r.intake_date),
               lambda r: r.intake_date),
        Column(QCoreApplication.translate("CasesList", "Service area"),
               lambda r: _label(labels, TaxonomyKind.SERVICE_AREA, r.service_area)),
        Column(QCoreApplication.translate("CasesList", "Risk"), lambda r: risks[r.risk_level],
               lambda r: list(risks).index(r.risk_level)),
        Column(QCoreApplication.translate("CasesList", "Social worker"), lambda r: r.worker),
        Column(QCoreApplication.translate("CasesList", "Contacts"), lambda r: str(r.service_records),
               lambda r: r.service_records, numeric=True),
        Column(QCoreApplication.translate("CasesList", "Last contact"), lambda r: text_of(r.last_contact),
               lambda r: r.last_contact),
    ]
    return spec


def volunteers_spec() -> ListSpec[VolunteerRow]:
    """The list of volunteers."""
    spec: ListSpec[VolunteerRow] = ListSpec(
        kind="volunteers",
        title=QCoreApplication.translate("VolunteersList", "Volunteers"),
        source=VolunteersSource(),
        columns=[],
        search_hint=QCoreApplication.translate(
            "VolunteersList", "Search: name, pinyin initials, volunteer number, last digits of the ID number or "
                              "phone"),
        export_name=QCoreApplication.translate("VolunteersList", "volunteers"),
    )
    spec.columns = [
        Column(QCoreApplication.translate("VolunteersList", "Volunteer number"), lambda r: r.volunteer_no),
        Column(QCoreApplication.translate("VolunteersList", "Name"), lambda r: r.name),
        Column(QCoreApplication.translate("VolunteersList", "ID number"), lambda r: r.id_masked),
        Column(QCoreApplication.translate("VolunteersList", "Phone"), lambda r: r.phone_masked),
        Column(QCoreApplication.translate("VolunteersList", "Skills"), lambda r: r.skills),
        Column(QCoreApplication.translate("VolunteersList", "Registered on"), lambda r: text_of(r.registered_on),
               lambda r: r.registered_on),
        Column(QCoreApplication.translate("VolunteersList", "Confirmed hours"),
               lambda r: f"{r.confirmed_hours:.1f}", lambda r: r.confirmed_hours, numeric=True),
    ]
    return spec


def activities_spec() -> ListSpec[ActivityRow]:
    """The list of activities, newest first; filter: activity type."""
    sep = list_separator()
    spec: ListSpec[ActivityRow] = ListSpec(
        kind="activities",
        title=QCoreApplication.translate("ActivitiesList", "Activities"),
        source=ActivitiesSource(),
        columns=[],
        search_hint=QCoreApplication.translate("ActivitiesList", "Search: title, place or activity number"),
        export_name=QCoreApplication.translate("ActivitiesList", "activities"),
        filter_all=QCoreApplication.translate("ActivitiesList", "All types"),
    )
    labels = spec.labels
    spec.filter_options = lambda found: list(found.get(TaxonomyKind.ACTIVITY_TYPE.value, {}).items())
    spec.columns = [
        Column(QCoreApplication.translate("ActivitiesList", "Activity number"), lambda r: r.activity_no),
        Column(QCoreApplication.translate("ActivitiesList", "Title"), lambda r: r.title),
        Column(QCoreApplication.translate("ActivitiesList", "Type"),
               lambda r: _label(labels, TaxonomyKind.ACTIVITY_TYPE, r.activity_type)),
        Column(QCoreApplication.translate("ActivitiesList", "Date"), lambda r: text_of(r.start_date),
               lambda r: r.start_date),
        Column(QCoreApplication.translate("ActivitiesList", "Service areas"),
               lambda r: _labelled(labels, TaxonomyKind.SERVICE_AREA, r.service_areas, sep)),
        Column(QCoreApplication.translate("ActivitiesList", "Place"), lambda r: r.place),
        Column(QCoreApplication.translate("ActivitiesList", "Social workers"), lambda r: str(r.social_workers),
               lambda r: r.social_workers, numeric=True),
        Column(QCoreApplication.translate("ActivitiesList", "Volunteers"), lambda r: str(r.volunteers),
               lambda r: r.volunteers, numeric=True),
        Column(QCoreApplication.translate("ActivitiesList", "Caring people"), lambda r: str(r.caring_people),
               lambda r: r.caring_people, numeric=True),
        Column(QCoreApplication.translate("ActivitiesList", "Beneficiaries"), lambda r: str(r.beneficiaries),
               lambda r: r.beneficiaries, numeric=True),
    ]
    return spec
