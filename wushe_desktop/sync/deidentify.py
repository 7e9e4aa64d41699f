"""The ``deidentified`` export profile (DESIGN.md §6, "Privacy").

Applied to JSON-ready rows before they are written to a bundle:

- names of the people served, volunteers and household members become pseudonyms,
  stable per person (``对象-3F2A9C01``: a prefix and the first 8 hex digits of a keyed
  BLAKE2b of the person's UUID), so the same person has the same pseudonym in every
  table and every bundle;
- ID numbers are masked (first 6 and last 4 characters kept) and an ``id_hash`` column is
  added: keyed BLAKE2b of the normalised full number with the centre's pseudonym key,
  so the centre can find one person served by two stations;
- addresses are cut to village level: ``community_id`` (the 嘎查村/社区) stays, the
  address detail goes;
- free-text notes, phone numbers, other identifiers (disability certificate, insurance
  policy, national volunteer number) and further names are emptied;
- birth dates are cut to the year (written as 1 January), because the masked ID number
  plus the full birth date would give the whole number back.

Rows are never dropped and no column that figures count is touched: counts, dates of
service, money, hours, statuses, categories and every UUID stay as they are, so the
centre computes the same figures from a de-identified bundle as from a full one. Emptied
columns keep their key with an empty value (``""``, ``[]``, ``{}`` or ``null``), so the
centre's tables take the rows unchanged.

This is pseudonymisation, not anonymisation: whoever holds the pseudonym key (the centre,
and every station that imported the centre's card) can test a guessed ID number
against ``id_hash``, and ID numbers have little entropy.

The key is 32 bytes from the centre's card. BLAKE2b is the standard library's
(:func:`hashlib.blake2b`, RFC 7693) with its ``key`` and ``person`` parameters; nothing
here is home-made cryptography.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from wushe_desktop.domain.validation import normalize_id_number

#: Length of the centre's pseudonym key, in bytes.
PSEUDONYM_KEY_BYTES: Final = 32
#: BLAKE2b personalisation strings (domain separation between the two uses of the key).
PSEUDONYM_PERSON: Final = b"wushe.pseudonym"
ID_HASH_PERSON: Final = b"wushe.id-hash"

_DATE_RE: Final = re.compile(r"([0-9]{4})-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class PseudonymRule:
    """How one table's name column becomes a pseudonym.

    Attributes:
        column: The name column, e.g. ``"name"``.
        subjects: ``(uuid column, prefix)`` pairs tried in order; the first with a value
            gives the pseudonym ``prefix-XXXXXXXX`` of that UUID. With none, the name is
            emptied (a walk-in on a sign-in sheet).
        only_if: ``(column, values)``: apply only when the row's column holds one of
            the values (a donor who is a private person); other rows keep the name.
    """

    column: str
    subjects: tuple[tuple[str, str], ...]
    only_if: tuple[str, frozenset[str]] | None = None


#: Columns emptied in every table (narrative text, contacts, addresses, identifiers).
DEFAULT_BLANK_ANY_TABLE: Final = frozenset({
    # Narrative text about people (free-text notes).
    "advice", "aims", "analysis", "approval_comment", "client_changes", "client_feedback",
    "client_response", "concern", "content", "content_summary", "economic",
    "education_employment", "evaluation", "family", "focus", "follow_up", "goal_attainment",
    "health", "housing", "indicator", "initial_impression", "issues", "leftover_handling", "narrative",
    "next_steps", "not_accepted_reason", "notes", "objectives", "opening_comment",
    "overall_aim", "participants", "physical_health", "preparation", "presenting_problem",
    "programme", "psychological", "publication", "reason", "reflection", "result",
    "rights_legal", "services_summary", "social_support", "sources", "strengths", "summary",
    "supervisor_comment", "target_members", "text", "theme", "topics", "unresolved",
    # Structured columns that hold free text.
    "corrections", "follow_up_plan", "follow_ups", "needs", "partners", "strategies",
    # Phone numbers and contacts.
    "contact_phone", "donor_contact", "emergency_phone", "leader_phone", "phone", "phone2",
    "referrer_contact", "to_contact",
    # Address detail (community_id, the village, stays).
    "address", "hukou_address", "location", "receiving_account",
    # Other names and identifiers of private persons.
    "contact_name", "emergency_name", "leader_name", "mongolian_name", "name_initials",
    "name_pinyin", "referrer", "signer_name", "disability_cert_no", "insurance_policy",
    "national_no",
})

#: Extra columns emptied per table.
DEFAULT_BLANK_BY_TABLE: Final[Mapping[str, frozenset[str]]] = {
    "donation": frozenset({"purpose"}),
}

#: Name columns that become pseudonyms.
DEFAULT_PSEUDONYMS: Final[Mapping[str, tuple[PseudonymRule, ...]]] = {
    "person": (PseudonymRule("name", (("uuid", "对象"),)),),
    "volunteer": (PseudonymRule("name", (("uuid", "志愿者"),)),),
    "household_member": (PseudonymRule("name", (("uuid", "家属"),)),),
    "activity_attendee": (PseudonymRule("name", (("person_id", "对象"), ("volunteer_id", "志愿者"))),),
    "donation": (
        PseudonymRule(
            "donor_name", (("uuid", "捐赠人"),), only_if=("donor_type", frozenset({"individual", "anonymous"}))
        ),
    ),
}

#: ID-number columns: masked, plus a keyed hash in ``id_hash`` (``<column>_hash`` for others).
DEFAULT_ID_COLUMNS: Final = frozenset({"id_number", "donor_id_no"})

#: Date columns cut to the year.
DEFAULT_YEAR_ONLY: Final = frozenset({"birth_date"})

#: Text columns of the current schema reviewed and kept as they are: codes, statuses,
#: titles, staff names (staff act in their professional role), organisations. A test
#: checks that every text column of the models is either transformed or listed here, so
#: a new free-text column cannot slip through unreviewed.
REVIEWED_KEEP: Final[Mapping[str, frozenset[str]]] = {
    "activity": frozenset({"activity_no", "activity_type", "approved_by", "place", "satisfaction", "service_areas",
                           "spending", "target_groups", "title"}),
    "activity_attendee": frozenset({"role"}),
    "activity_organiser": frozenset({"linkage_party", "name", "role"}),
    "assessment": frozenset({"methods", "risk_level", "scales"}),
    "case_closure": frozenset({"approval_by", "approval_status", "closure_type"}),
    "case_file": frozenset({"case_no", "opening_by", "opening_status", "risk_level", "service_area", "source",
                            "stage", "stage_before_suspension", "willingness"}),
    "child_protection_report": frozenset({"informed_by", "informed_party"}),
    "community": frozenset({"division_code", "kind", "name"}),
    "consent": frozenset({"legal_basis", "notice_version", "purpose", "scope", "signer_relation"}),
    "distribution": frozenset({"handler"}),
    "donation": frozenset({"donor_type", "form", "ledger_no", "payment_method", "receipt_handler", "receipt_kind",
                           "receipt_no", "recipient_name"}),
    "donation_item": frozenset({"condition", "name", "spec", "unit", "valuation_basis"}),
    "evaluation": frozenset({"kind", "methods", "attainment", "overall_attainment", "post_score", "pre_score"}),
    "follow_up": frozenset({"method"}),
    "household_member": frozenset({"occupation", "relation"}),
    "person": frozenset({"education", "emergency_relation", "employment", "ethnicity", "guardian_relation",
                         "id_tail", "id_type", "marital_status", "sex"}),
    "person_status": frozenset({"category", "source", "verified_by"}),
    "plan_objective": frozenset({"status"}),
    "referral": frozenset({"direction", "disclosed_items", "from_party", "legal_basis", "outcome", "to_party"}),
    "resource_link": frozenset({"description", "kind", "provider"}),
    "service_plan": frozenset({"approval_by", "approval_status", "expected_duration", "frequency", "models"}),
    "service_project": frozenset({"funder", "name", "service_areas", "status", "targets"}),
    "service_record": frozenset({"mode"}),
    "social_organisation": frozenset({"kind", "linkage_party", "name", "uscc"}),
    "staff": frozenset({"employer", "name", "role", "sw_cert_level"}),
    "staff_certificate": frozenset({"kind", "level", "number"}),
    "staff_training": frozenset({"provider", "title"}),
    "station": frozenset({"banner_code", "banner_name", "code", "mode", "name"}),
    "supervision_record": frozenset({"case_ids", "form", "supervisees", "supervisor_name"}),
    "taxonomy_item": frozenset({"code", "kind", "label"}),
    "volunteer": frozenset({"availability", "id_tail", "id_type", "political_status", "sex", "skills", "skills_text",
                            "volunteer_no"}),
    "volunteer_certificate": frozenset({"cert_no", "handler", "issuing_body"}),
    "volunteer_hours": frozenset({"confirmed_by", "place", "recorded_by", "status"}),
    "volunteer_team": frozenset({"name"}),
    "volunteer_training": frozenset({"issuer", "kind", "title"}),
    "work_group": frozenset({"group_type", "name", "session_plan", "stage", "theory"}),
}


@dataclass(frozen=True)
class DeidentifyPolicy:
    """Which columns the profile transforms, and how."""

    blank_any_table: frozenset[str] = DEFAULT_BLANK_ANY_TABLE
    blank_by_table: Mapping[str, frozenset[str]] = field(default_factory=lambda: dict(DEFAULT_BLANK_BY_TABLE))
    pseudonyms: Mapping[str, tuple[PseudonymRule, ...]] = field(default_factory=lambda: dict(DEFAULT_PSEUDONYMS))
    id_columns: frozenset[str] = DEFAULT_ID_COLUMNS
    year_only: frozenset[str] = DEFAULT_YEAR_ONLY

    def blanked(self, table: str) -> frozenset[str]:
        """Columns emptied in ``table``."""
        return self.blank_any_table | self.blank_by_table.get(table, frozenset())

    def transformed(self, table: str) -> frozenset[str]:
        """Every column of ``table`` the policy changes (for reviews and tests)."""
        names = {rule.column for rule in self.pseudonyms.get(table, ())}
        hashes = {_hash_column(column) for column in self.id_columns}  # written from the full number
        return self.blanked(table) | names | self.id_columns | hashes | self.year_only


DEFAULT_POLICY: Final = DeidentifyPolicy()


def _check_key(key: bytes) -> None:
    if len(key) != PSEUDONYM_KEY_BYTES:
        raise ValueError("the pseudonym key is 32 bytes")


def pseudonym(key: bytes, subject_uuid: str, prefix: str) -> str:
    """The stable pseudonym of a person: ``prefix-`` and 8 upper-case hex digits.

    Args:
        key: The centre's 32-byte pseudonym key.
        subject_uuid: The person's (or volunteer's...) UUID, in any spelling Python's
            :class:`uuid.UUID` accepts; it is hashed in canonical lower-case form.
        prefix: ``对象``, ``志愿者``...
    """
    _check_key(key)
    canonical = str(uuid.UUID(subject_uuid)).encode("ascii")
    digest = hashlib.blake2b(canonical, digest_size=16, key=key, person=PSEUDONYM_PERSON).hexdigest()
    return f"{prefix}-{digest[:8].upper()}"


def id_hash(key: bytes, id_number: str) -> str:
    """Keyed BLAKE2b-256 (hex) of a normalised ID number: equal numbers, equal hashes.

    The number is normalised as typed input is (spaces removed, full-width characters
    made ASCII, ``x`` upper-cased), so two stations that typed it differently agree.
    """
    _check_key(key)
    normalised = normalize_id_number(id_number).encode("utf-8")
    return hashlib.blake2b(normalised, digest_size=32, key=key, person=ID_HASH_PERSON).hexdigest()


def mask_id(number: str) -> str:
    """Keep the first 6 and last 4 characters of an ID number, star the rest.

    Numbers shorter than 11 characters (passports and the like) are starred whole.
    """
    number = normalize_id_number(number)
    if len(number) < 11:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def _empty_like(value: Any) -> Any:
    if isinstance(value, str):
        return ""
    if isinstance(value, list):
        return []
    if isinstance(value, dict):
        return {}
    return None


def _hash_column(column: str) -> str:
    return "id_hash" if column == "id_number" else f"{column}_hash"


class Deidentifier:
    """Applies a :class:`DeidentifyPolicy` with the centre's pseudonym key."""

    def __init__(self, pseudonym_key: bytes, policy: DeidentifyPolicy = DEFAULT_POLICY) -> None:
        """Create a de-identifier.

        Args:
            pseudonym_key: The 32-byte key from the centre's card.
            policy: The columns to transform.

        Raises:
            ValueError: The key is not 32 bytes.
        """
        _check_key(pseudonym_key)
        self._key = pseudonym_key
        self._policy = policy

    def row(self, table: str, row: Mapping[str, Any]) -> dict[str, Any]:
        """A de-identified copy of one JSON-ready row (the input is not changed)."""
        out = dict(row)
        policy = self._policy
        for rule in policy.pseudonyms.get(table, ()):
            if rule.column not in out:
                continue
            if rule.only_if is not None and out.get(rule.only_if[0]) not in rule.only_if[1]:
                continue
            out[rule.column] = ""
            for subject_column, prefix in rule.subjects:
                subject = out.get(subject_column)
                if isinstance(subject, str) and subject:
                    out[rule.column] = pseudonym(self._key, subject, prefix)
                    break
        for column in policy.blanked(table):
            if column in out:
                out[column] = _empty_like(out[column])
        for column in policy.id_columns:
            if column in out:
                value = out[column]
                if isinstance(value, str) and value:
                    out[column] = mask_id(value)
                    out[_hash_column(column)] = id_hash(self._key, value)
                else:
                    out[_hash_column(column)] = None
        for column in policy.year_only:
            value = out.get(column)
            if value is not None:
                match = _DATE_RE.fullmatch(value) if isinstance(value, str) else None
                out[column] = f"{match.group(1)}-01-01" if match else None
        return out

    def rows(self, table: str, rows: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
        """De-identified copies of a table's rows, lazily."""
        for row in rows:
            yield self.row(table, row)

    def tables(
        self, tables: Iterable[tuple[str, Iterable[Mapping[str, Any]]]]
    ) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
        """The same ``(table, rows)`` stream, every row de-identified, lazily."""
        for table, rows in tables:
            yield table, self.rows(table, rows)
