"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from __future__ import annotations

from sqlalchemy import Index

from wushe_desktop.storage.models.account import UserAccount
from wushe_desktop.storage.models.activity import (
    Activity,
    ActivityAttendee,
    ActivityOrganiser,
    Group,
    GroupMember,
    ServiceProject,
)
from wushe_desktop.storage.models.audit import AuditLog
from wushe_desktop.storage.models.base import Base, Synced
from wushe_desktop.storage.models.case import (
    Assessment,
    Case,
    ChildProtectionReport,
    Closure,
    Evaluation,
    FollowUp,
    PlanObjective,
    Referral,
    ResourceLink,
    ServicePlan,
    ServiceRecord,
)
from wushe_desktop.storage.models.person import Consent, HouseholdMember, Person, PersonStatus
from wushe_desktop.storage.models.resource import Distribution, Donation, DonationItem
from wushe_desktop.storage.models.staff import (
    SocialOrganisation,
    Staff,
    StaffCertificate,
    StaffTraining,
    SupervisionRecord,
)
from wushe_desktop.storage.models.station import (
    Community,
    FormDraft,
    NumberSequence,
    Setting,
    Station,
    StationKey,
    TaxonomyItem,
    VersionClock,
)
from wushe_desktop.storage.models.sync import (
    CentreKey,
    ExportLog,
    ImportedBundle,
    ReceiptRecord,
    RegisteredStation,
)
from wushe_desktop.storage.models.volunteer import (
    Volunteer,
    VolunteerCertificate,
    VolunteerHours,
    VolunteerTeam,
    VolunteerTeamMember,
    VolunteerTraining,
)

#: Every synced model, in an order where parents come before children (bundles, demo).
SYNCED_MODELS: tuple[type[Synced], ...] = (
    Station,
    Community,
    TaxonomyItem,
    Staff,
    StaffCertificate,
    StaffTraining,
    SocialOrganisation,
    ServiceProject,
    Person,
    PersonStatus,
    HouseholdMember,
    Case,
    Consent,
    Assessment,
    ServicePlan,
    PlanObjective,
    Referral,
    Closure,
    Evaluation,
    FollowUp,
    ChildProtectionReport,
    SupervisionRecord,
    VolunteerTeam,
    Volunteer,
    VolunteerTeamMember,
    VolunteerTraining,
    VolunteerCertificate,
    Group,
    GroupMember,
    Activity,
    ActivityOrganiser,
    ActivityAttendee,
    VolunteerHours,
    Donation,
    DonationItem,
    Distribution,
    ServiceRecord,
    ResourceLink,
)

for _model in SYNCED_MODELS:
    _table = _model.__table__  # type: ignore[attr-defined]
    Index(f"ix_{_table.name}_origin_version", _table.c.origin, _table.c.row_version)

# The lists' default orders and filters (migration 0004, docs/performance.md).
Index("ix_person_origin_created", Person.origin, Person.created_at)
Index("ix_case_file_origin_stage", Case.origin, Case.stage, Case.case_no)
Index("ix_case_file_origin_intake", Case.origin, Case.intake_date)
Index("ix_activity_origin_start", Activity.origin, Activity.start_date)
Index("ix_activity_origin_type", Activity.origin, Activity.activity_type, Activity.start_date)
Index("ix_person_status_category", PersonStatus.category, PersonStatus.person_id)

# The figures and the dashboard (migration 0006): live rows by date, a case's newest live record.
Index("ix_service_record_deleted_date_case", ServiceRecord.deleted_at, ServiceRecord.service_date,
      ServiceRecord.case_id)
Index("ix_service_record_case_deleted_date", ServiceRecord.case_id, ServiceRecord.deleted_at,
      ServiceRecord.service_date)

# The lists' first screen and search (migration 0007): live rows of a station in list order.
Index("ix_person_list", Person.origin, Person.deleted_at, Person.created_at, Person.uuid, Person.name,
      Person.name_initials, Person.id_tail, Person.phone)
Index("ix_person_name", Person.name)
Index("ix_case_file_list", Case.origin, Case.deleted_at, Case.case_no, Case.person_id)
Index("ix_case_file_stage_list", Case.origin, Case.deleted_at, Case.stage, Case.case_no, Case.person_id)
Index("ix_person_status_live", PersonStatus.origin, PersonStatus.category, PersonStatus.deleted_at,
      PersonStatus.valid_to, PersonStatus.person_id)

# The figures' case counts and the dashboard's to-do lists (migration 0008).
Index("ix_case_file_stats_person", Case.origin, Case.deleted_at, Case.accepted, Case.person_id, Case.uuid)
Index("ix_case_file_stats_intake", Case.origin, Case.deleted_at, Case.accepted, Case.intake_date, Case.closed_on)
Index("ix_case_file_stats_closed", Case.origin, Case.deleted_at, Case.accepted, Case.closed_on)
Index("ix_activity_attendee_stats_person", ActivityAttendee.activity_id, ActivityAttendee.deleted_at,
      ActivityAttendee.role, ActivityAttendee.person_id, ActivityAttendee.origin)
Index("ix_case_file_todo", Case.origin, Case.deleted_at, Case.stage, Case.opening_status, Case.intake_date, Case.uuid)
Index("ix_case_closure_approval", Closure.approval_status, Closure.deleted_at, Closure.case_id)
Index("ix_service_plan_approval", ServicePlan.approval_status, ServicePlan.deleted_at, ServicePlan.review_on,
      ServicePlan.made_on, ServicePlan.case_id, ServicePlan.version)
Index("ix_service_plan_case_version", ServicePlan.case_id, ServicePlan.deleted_at, ServicePlan.version,
      ServicePlan.approval_status, ServicePlan.review_on, ServicePlan.made_on, ServicePlan.uuid)

__all__ = [
    "SYNCED_MODELS",
    "Activity",
    "ActivityAttendee",
    "ActivityOrganiser",
    "Assessment",
    "AuditLog",
    "Base",
    "Case",
    "CentreKey",
    "ChildProtectionReport",
    "Closure",
    "Community",
    "Consent",
    "Distribution",
    "Donation",
    "DonationItem",
    "Evaluation",
    "ExportLog",
    "FollowUp",
    "FormDraft",
    "Group",
    "GroupMember",
    "HouseholdMember",
    "ImportedBundle",
    "NumberSequence",
    "Person",
    "PersonStatus",
    "PlanObjective",
    "ReceiptRecord",
    "Referral",
    "RegisteredStation",
    "ResourceLink",
    "ServicePlan",
    "ServiceProject",
    "ServiceRecord",
    "Setting",
    "SocialOrganisation",
    "Staff",
    "StaffCertificate",
    "StaffTraining",
    "Station",
    "StationKey",
    "SupervisionRecord",
    "Synced",
    "TaxonomyItem",
    "UserAccount",
    "VersionClock",
    "Volunteer",
    "VolunteerCertificate",
    "VolunteerHours",
    "VolunteerTeam",
    "VolunteerTeamMember",
    "VolunteerTraining",
]
