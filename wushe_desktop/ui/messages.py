"""Errors as people read them: one sentence per error code, and the two error dialogs.

The core raises coded errors (:class:`~wushe_desktop.errors.WusheError`); this module
turns a code into one sentence that says what happened and what to do (STYLE.md §1,
§11). Sentences are English source strings marked with ``QT_TRANSLATE_NOOP`` and
translated at display time (translate first, then format with the error's named
``params``). A code with no sentence of its own falls back to its family (``database.*``,
``permission.*``...), then to a generic sentence that names the code, so a user can read
it out to support.

Anything that is not a ``WusheError`` is a bug: :func:`show_error` says so plainly, logs
the traceback and names the log file.
"""

from __future__ import annotations

import logging
import traceback
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from wushe_desktop.errors import ValidationErrors, WusheError
from wushe_desktop.ui.logs import log_file

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
        """Mark a string for translation (lupdate); returns it unchanged."""
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

log = logging.getLogger("wushe_desktop.ui")

_CTX = "Messages"

# One sentence per error code. Placeholders are the error's ``params`` (plus ``field``,
# the translated field name, and ``*_hours`` for every ``*_tenths`` parameter).
MESSAGES: dict[str, str] = {
    # ID numbers
    "id_number.empty": QT_TRANSLATE_NOOP("Messages", "Enter the ID number."),
    "id_number.format": QT_TRANSLATE_NOOP(
        "Messages", "An ID card number has 18 characters: 17 digits and a last digit or X."),
    "id_number.checksum": QT_TRANSLATE_NOOP(
        "Messages", "The last character of the ID number is wrong (it should be {expected}). Check the digits "
                    "against the card."),
    "id_number.birth_date": QT_TRANSLATE_NOOP(
        "Messages", "The birth date inside the ID number is not a real date. Check the digits."),
    "id_number.future_birth": QT_TRANSLATE_NOOP(
        "Messages", "The birth date inside the ID number lies in the future. Check the digits."),
    "id_number.province": QT_TRANSLATE_NOOP(
        "Messages", "The ID number starts with {prefix}, which is no province code. Check the first digits."),
    "id_number.excel_number": QT_TRANSLATE_NOOP(
        "Messages", "Excel turned the ID number into a number (like 1.50121E+17). Format the column as text and "
                    "type the number again."),
    "id_number.fifteen_digit_invalid": QT_TRANSLATE_NOOP(
        "Messages", "The 15-digit ID number holds no real birth date. Check the digits."),
    "id_number.duplicate": QT_TRANSLATE_NOOP(
        "Messages", "Someone with this ID number is already registered. Open that person instead of registering "
                    "them again."),
    "id_number.sex_mismatch": QT_TRANSLATE_NOOP(
        "Messages", "The sex chosen does not match the ID number. Check both."),
    # phone numbers
    "phone.empty": QT_TRANSLATE_NOOP("Messages", "Enter the phone number."),
    "phone.length": QT_TRANSLATE_NOOP(
        "Messages", "The phone number has {digits} digits; a mobile number has 11. Check the number."),
    "phone.format": QT_TRANSLATE_NOOP(
        "Messages", "This is not a mobile or landline number. Type digits only, like 13812345678 or 0471-1234567."),
    "phone.area_code": QT_TRANSLATE_NOOP(
        "Messages", "A landline number needs its area code, like 0471-1234567."),
    # names
    "name.empty": QT_TRANSLATE_NOOP("Messages", "Enter the name."),
    "name.too_long": QT_TRANSLATE_NOOP(
        "Messages", "The name has {length} characters; at most {max} are allowed."),
    "name.invalid_char": QT_TRANSLATE_NOOP(
        "Messages", "The name contains '{char}', which a name on an ID card cannot hold."),
    "name.bad_separator": QT_TRANSLATE_NOOP(
        "Messages", "The middle dot separator must stand between two parts of the name."),
    "mongolian.invalid_char": QT_TRANSLATE_NOOP(
        "Messages", "The Mongolian name contains '{char}', which is not Mongolian script."),
    "mongolian.legacy_encoding": QT_TRANSLATE_NOOP(
        "Messages", "The Mongolian name was typed with an old, non-standard input method. Type it again with a "
                    "standard Mongolian keyboard."),
    # dates
    "date.future": QT_TRANSLATE_NOOP("Messages", "The {field} lies in the future. Check the date."),
    "date.order": QT_TRANSLATE_NOOP("Messages", "The {field} is before the {earlier_field}. Check both dates."),
    "date.format": QT_TRANSLATE_NOOP("Messages", "Type the date like 1956-03-12."),
    "period.order": QT_TRANSLATE_NOOP("Messages", "The start date is after the end date."),
    "time.order": QT_TRANSLATE_NOOP("Messages", "The end time is before the start time."),
    # people
    "person.birth_date_differs": QT_TRANSLATE_NOOP(
        "Messages", "The birth date differs from the one in the ID number; the ID number's date is used."),
    "person.minor_needs_guardian": QT_TRANSLATE_NOOP(
        "Messages", "A child under 14 needs a guardian. Choose the guardian before saving."),
    "person.not_found": QT_TRANSLATE_NOOP(
        "Messages", "This person is no longer in the records (someone may have deleted them)."),
    "consent.child_needs_guardian": QT_TRANSLATE_NOOP(
        "Messages", "A child under 14 needs a guardian on file before consent can be recorded."),
    "consent.child_signer_must_be_guardian": QT_TRANSLATE_NOOP(
        "Messages", "For a child under 14 the guardian signs the consent, not the child."),
    "disability_cert.format": QT_TRANSLATE_NOOP(
        "Messages", "A disability certificate number is the ID number followed by two digits (category and "
                    "grade)."),
    "disability_cert.id_mismatch": QT_TRANSLATE_NOOP(
        "Messages", "The disability certificate number does not start with this person's ID number."),
    # database
    "database.missing": QT_TRANSLATE_NOOP(
        "Messages", "The database file was not found. Check that the USB stick or folder is there."),
    "database.exists": QT_TRANSLATE_NOOP(
        "Messages", "A database already exists there; it was not overwritten. Choose another place."),
    "database.not_sqlite": QT_TRANSLATE_NOOP(
        "Messages", "This file is not a Wushe database. Check that you chose the right file."),
    "database.not_a_file": QT_TRANSLATE_NOOP("Messages", "This is a folder, not a database file."),
    "database.corrupt": QT_TRANSLATE_NOOP(
        "Messages", "The database file is damaged. Nothing more was written to it. Ask the station head to "
                    "restore the newest backup."),
    "database.foreign": QT_TRANSLATE_NOOP(
        "Messages", "This file belongs to another program, not to Wushe Desktop."),
    "database.too_new": QT_TRANSLATE_NOOP(
        "Messages", "The database was made by a newer version of this program. Install the newer version."),
    "database.locked": QT_TRANSLATE_NOOP(
        "Messages", "The database is busy in another window or program. Close it and try again; nothing was "
                    "lost."),
    "database.readonly": QT_TRANSLATE_NOOP(
        "Messages", "The database folder cannot be written. Check the disk's free space and permissions."),
    "database.disk_full": QT_TRANSLATE_NOOP(
        "Messages", "The disk is full, so nothing was saved. Free some space and save again."),
    "database.cannot_open": QT_TRANSLATE_NOOP("Messages", "The database cannot be opened."),
    "database.bad_url": QT_TRANSLATE_NOOP(
        "Messages", "The database address {url} cannot be used: give a SQLite file, or a PostgreSQL address like "
                    "postgresql+psycopg://user:password@server/database."),
    "database.driver_missing": QT_TRANSLATE_NOOP(
        "Messages", "The driver for {driver} databases is not installed; use the packaged program, or ask technical "
                    "support to install the PostgreSQL extra."),
    "database.server_unreachable": QT_TRANSLATE_NOOP(
        "Messages", "The database server {server} cannot be reached. Check that it is running and that this PC can "
                    "reach it, then try again."),
    "database.server_login_refused": QT_TRANSLATE_NOOP(
        "Messages", "The database server {server} refused the login. Check the user name and password in the "
                    "address."),
    "database.server_no_database": QT_TRANSLATE_NOOP(
        "Messages", "The database server {server} has no database of that name. Create it first or correct the "
                    "address."),
    "database.in_use": QT_TRANSLATE_NOOP(
        "Messages", "This database is already open in another Wushe Desktop window. Switch to that window, or "
                    "close it first."),
    "database.migration_foreign_keys": QT_TRANSLATE_NOOP(
        "Messages", "Upgrading the database found {count} broken links, so it was left unchanged. Send the "
                    "database file to technical support."),
    # station set-up
    "station.not_initialised": QT_TRANSLATE_NOOP(
        "Messages", "This database has no station yet. Run the set-up wizard first."),
    "station.is_centre": QT_TRANSLATE_NOOP(
        "Messages", "This is a centre database; this action is for stations."),
    "station.not_centre": QT_TRANSLATE_NOOP(
        "Messages", "This is a station database; this action is for a centre."),
    "station.name_empty": QT_TRANSLATE_NOOP("Messages", "Enter the station's name."),
    "station.banner_mismatch": QT_TRANSLATE_NOOP(
        "Messages", "The banner does not match the township chosen (the township belongs to {expected})."),
    "station.banner_required": QT_TRANSLATE_NOOP(
        "Messages", "This township is not in the division table; choose its banner as well."),
    "division_code.format": QT_TRANSLATE_NOOP(
        "Messages", "Choose the station's township from the list."),
    "passphrase.too_short": QT_TRANSLATE_NOOP(
        "Messages", "The recovery passphrase needs at least {min} characters."),
    "passphrase.mismatch": QT_TRANSLATE_NOOP(
        "Messages", "The two passphrases differ. Type the same passphrase twice."),
    "passphrase.wrong": QT_TRANSLATE_NOOP(
        "Messages", "The recovery passphrase is wrong. Check the recovery sheet and type it again."),
    "community.duplicate": QT_TRANSLATE_NOOP("Messages", "The community '{name}' is listed twice."),
    # logins, accounts, backups (security)
    "login.failed": QT_TRANSLATE_NOOP(
        "Messages", "The user name or password is wrong. After {remaining} more wrong tries the account is locked "
                    "for 15 minutes."),
    "login.locked": QT_TRANSLATE_NOOP(
        "Messages", "Too many wrong passwords: the account is locked. Try again in {minutes} minutes, or ask the "
                    "station head to reset the password."),
    "login.inactive": QT_TRANSLATE_NOOP(
        "Messages", "This account has been switched off. Ask the station head."),
    "password.weak": QT_TRANSLATE_NOOP(
        "Messages", "The password is too weak: use at least {min} characters, not only digits, and not the user "
                    "name or the old password."),
    "account.username_empty": QT_TRANSLATE_NOOP("Messages", "Enter the user name."),
    "account.username_too_long": QT_TRANSLATE_NOOP("Messages", "The user name is too long; at most {max} characters."),
    "account.username_invalid": QT_TRANSLATE_NOOP("Messages", "The user name cannot contain spaces."),
    "account.display_name_empty": QT_TRANSLATE_NOOP("Messages", "Enter the name shown for this account."),
    "account.display_name_too_long": QT_TRANSLATE_NOOP(
        "Messages", "The name shown is too long; at most {max} characters."),
    "account.exists": QT_TRANSLATE_NOOP(
        "Messages", "An account named '{username}' already exists. Choose another user name."),
    "account.not_found": QT_TRANSLATE_NOOP("Messages", "There is no account named '{username}'."),
    "account.role_invalid": QT_TRANSLATE_NOOP("Messages", "This role cannot be given here."),
    "account.not_head": QT_TRANSLATE_NOOP(
        "Messages", "The recovery passphrase only resets the station head's password. Ask the station head to "
                    "reset yours."),
    "account.last_head": QT_TRANSLATE_NOOP(
        "Messages", "This is the last station head account, so it cannot be switched off."),
    "passphrase.missing": QT_TRANSLATE_NOOP("Messages", "Enter the recovery passphrase."),
    "passphrase.not_set": QT_TRANSLATE_NOOP(
        "Messages", "This station has no recovery passphrase yet. The first backup to a USB stick sets one."),
    "backup.wrong_passphrase": QT_TRANSLATE_NOOP(
        "Messages", "The passphrase does not open this backup. Type the recovery passphrase from the recovery "
                    "sheet that was valid when the backup was made."),
    "backup.not_found": QT_TRANSLATE_NOOP("Messages", "The backup file was not found. Check the USB stick."),
    "backup.not_a_backup": QT_TRANSLATE_NOOP(
        "Messages", "This file is not a Wushe backup. Choose a .wbak file or an automatic backup."),
    "backup.corrupt": QT_TRANSLATE_NOOP(
        "Messages", "The backup is damaged or incomplete; nothing was changed. Use an older backup."),
    "backup.unreadable": QT_TRANSLATE_NOOP(
        "Messages", "The backup cannot be read. Check the USB stick, or copy the file to this PC first."),
    "backup.too_new": QT_TRANSLATE_NOOP(
        "Messages", "The backup was made by a newer version of this program. Install the newer version first."),
    "backup.no_station": QT_TRANSLATE_NOOP("Messages", "The backup holds no station, so it cannot be restored."),
    "backup.other_station": QT_TRANSLATE_NOOP(
        "Messages", "The backup belongs to station {backup}, but this database is station {current}. Nothing was "
                    "changed."),
    "backup.same_as_database": QT_TRANSLATE_NOOP(
        "Messages", "The backup cannot be written over the database itself. Choose another folder."),
    "backup.cannot_write": QT_TRANSLATE_NOOP(
        "Messages", "The backup cannot be written there. Check that the USB stick is in and not full, and that "
                    "the folder can be written."),
    "backup.not_sqlite": QT_TRANSLATE_NOOP("Messages", "Backups work only for a database file on this PC."),
    "draft.too_large": QT_TRANSLATE_NOOP(
        "Messages", "The form is too long to keep as a draft; save it now so nothing is lost."),
    # casework
    "case.stage.illegal": QT_TRANSLATE_NOOP("Messages", "The case cannot move to that stage from where it is now."),
    "case.stage.same": QT_TRANSLATE_NOOP("Messages", "The case is already at that stage."),
    "case.stage.needs_opening_approval": QT_TRANSLATE_NOOP(
        "Messages", "The station head must approve opening the case first."),
    "case.stage.needs_assessment": QT_TRANSLATE_NOOP("Messages", "Record the needs assessment first."),
    "case.stage.needs_approved_plan": QT_TRANSLATE_NOOP(
        "Messages", "The service plan must be approved by the station head first."),
    "case.stage.needs_evaluation": QT_TRANSLATE_NOOP("Messages", "Record the evaluation first."),
    "case.stage.needs_approved_closure": QT_TRANSLATE_NOOP(
        "Messages", "The closure report must be approved by the station head first."),
    "case.stage.needs_referral_closure": QT_TRANSLATE_NOOP(
        "Messages", "A case ends as referred only through a closure by referral."),
    "case.stage.use_reopen": QT_TRANSLATE_NOOP("Messages", "Reopen the case to work on it again."),
    "case.stage.wrong_for_record": QT_TRANSLATE_NOOP(
        "Messages", "This record cannot be added while the case is at its current stage."),
    "case.closed": QT_TRANSLATE_NOOP("Messages", "The case is closed; reopen it to add records."),
    "case.not_found": QT_TRANSLATE_NOOP(
        "Messages", "This case is no longer in the records (someone may have deleted it)."),
    "approval.comment_required": QT_TRANSLATE_NOOP(
        "Messages", "Write a comment saying why it is sent back."),
    "approval.not_pending": QT_TRANSLATE_NOOP(
        "Messages", "This is no longer waiting for approval (someone may have decided it already)."),
    # case workspace (intake, assessment, plan, records, closure, referral, printing)
    "case.person_required": QT_TRANSLATE_NOOP(
        "Messages", "Choose the client: type a name, pinyin initials or the ID number's last digits."),
    "number.format": QT_TRANSLATE_NOOP("Messages", "Type the amount as a number, like 200 or 12.5."),
    "time.format": QT_TRANSLATE_NOOP("Messages", "Type the time like 9:30 or 14:05."),
    "case.referrer_required": QT_TRANSLATE_NOOP(
        "Messages", "A case referred by an organisation needs the referrer."),
    "case.service_area_required": QT_TRANSLATE_NOOP(
        "Messages", "Choose the service area."),
    "case.service_area_unknown": QT_TRANSLATE_NOOP(
        "Messages", "'{value}' is not a service area in the station's list."),
    "case.not_accepted_reason_required": QT_TRANSLATE_NOOP(
        "Messages", "Give the reason the case is not opened."),
    "case.child_needs_guardian_consent": QT_TRANSLATE_NOOP(
        "Messages", "The person is {age} years old: record the guardian and the guardian's signed consent "
                    "before the case is opened."),
    "case.not_opened_yet": QT_TRANSLATE_NOOP(
        "Messages", "The case has not been opened yet; add service records after the opening is approved."),
    "case.suspended": QT_TRANSLATE_NOOP(
        "Messages", "The case is suspended; resume it before adding service records."),
    "case.intake_locked": QT_TRANSLATE_NOOP(
        "Messages", "The intake can no longer be edited: the case has been opened."),
    "assessment.need_empty": QT_TRANSLATE_NOOP(
        "Messages", "A line of the need list is empty; fill it in or remove it."),
    "assessment.scale_name_empty": QT_TRANSLATE_NOOP(
        "Messages", "A scale line has no name."),
    "child_protection.informed_party_required": QT_TRANSLATE_NOOP(
        "Messages", "Record whom the report was made to."),
    "plan.aim_required": QT_TRANSLATE_NOOP(
        "Messages", "Give the plan's overall aim."),
    "plan.objectives_required": QT_TRANSLATE_NOOP(
        "Messages", "A plan needs at least one objective."),
    "plan.objective_empty": QT_TRANSLATE_NOOP(
        "Messages", "An objective line is empty; fill it in or remove it."),
    "plan.pending_approval": QT_TRANSLATE_NOOP(
        "Messages", "Plan version {version} is awaiting approval; wait for the decision before writing a new "
                    "version."),
    "plan.not_latest": QT_TRANSLATE_NOOP(
        "Messages", "Only the latest plan (version {latest}) can be submitted."),
    "plan.model_unknown": QT_TRANSLATE_NOOP(
        "Messages", "'{value}' is not an intervention model in the station's list."),
    "approval.not_submittable": QT_TRANSLATE_NOOP(
        "Messages", "Only a draft or a sent-back plan can be submitted for approval."),
    "approval.not_returned": QT_TRANSLATE_NOOP(
        "Messages", "Only an opening request that was sent back can be submitted again."),
    "service_record.duration_negative": QT_TRANSLATE_NOOP(
        "Messages", "The duration cannot be negative."),
    "service_record.objective_not_in_case": QT_TRANSLATE_NOOP(
        "Messages", "The chosen objective is not in this case's plan."),
    "service_record.not_found": QT_TRANSLATE_NOOP(
        "Messages", "This service record is no longer in the records (someone may have deleted it)."),
    "resource.kind_unknown": QT_TRANSLATE_NOOP(
        "Messages", "A linked resource has an unknown kind."),
    "resource.value_negative": QT_TRANSLATE_NOOP(
        "Messages", "The value of a linked resource cannot be negative."),
    "resource.donation_not_found": QT_TRANSLATE_NOOP(
        "Messages", "A linked resource names a donation that does not exist or was deleted."),
    "evaluation.satisfaction_range": QT_TRANSLATE_NOOP(
        "Messages", "Satisfaction must be between {min} and {max}."),
    "evaluation.objective_not_in_case": QT_TRANSLATE_NOOP(
        "Messages", "The evaluation names an objective that is not in this case's plan."),
    "evaluation.objective_repeated": QT_TRANSLATE_NOOP(
        "Messages", "The evaluation rates an objective twice."),
    "closure.type_required": QT_TRANSLATE_NOOP(
        "Messages", "Choose the closure type."),
    "closure.type_unknown": QT_TRANSLATE_NOOP(
        "Messages", "'{value}' is not a closure type in the station's list."),
    "closure.needs_referral": QT_TRANSLATE_NOOP(
        "Messages", "A referral closure needs the referral record it rests on."),
    "closure.already_pending": QT_TRANSLATE_NOOP(
        "Messages", "A closure of this case is already awaiting approval."),
    "closure.referral_not_of_case": QT_TRANSLATE_NOOP(
        "Messages", "The chosen referral is not a referral out of this case."),
    "referral.needs_consent": QT_TRANSLATE_NOOP(
        "Messages", "Referring someone out needs their consent, unless it is a statutory duty or an emergency."),
    "referral.to_party_required": QT_TRANSLATE_NOOP(
        "Messages", "Give the organisation the person is referred to."),
    "referral.from_party_required": QT_TRANSLATE_NOOP(
        "Messages", "Give who referred the person to the station."),
    "case.reopen_reason_required": QT_TRANSLATE_NOOP(
        "Messages", "Give the reason for reopening the case."),
    "case.not_closed": QT_TRANSLATE_NOOP(
        "Messages", "Only a closed case can be reopened."),
    "print.no_assessment": QT_TRANSLATE_NOOP(
        "Messages", "The case has no needs assessment yet, so there is none to print."),
    "print.no_plan": QT_TRANSLATE_NOOP(
        "Messages", "The case has no service plan yet, so there is none to print."),
    "print.no_closure": QT_TRANSLATE_NOOP(
        "Messages", "The case has no closure report yet, so there is none to print."),
    "print.no_referral": QT_TRANSLATE_NOOP(
        "Messages", "The case has no referral, so there is none to print."),
    "print.no_record": QT_TRANSLATE_NOOP(
        "Messages", "The case has no service record number {seq} (it has {count}); check the number."),
    "staff.inactive": QT_TRANSLATE_NOOP(
        "Messages", "That worker has left or is deactivated; choose a current worker."),
    # volunteer hours and certificates
    "hours.format": QT_TRANSLATE_NOOP("Messages", "Type the hours as a number, like 2 or 2.5."),
    "hours.not_positive": QT_TRANSLATE_NOOP("Messages", "The hours must be more than zero."),
    "hours.precision": QT_TRANSLATE_NOOP("Messages", "Hours take at most one decimal, like 2.5."),
    "hours.below_unit": QT_TRANSLATE_NOOP(
        "Messages", "The time is shorter than the smallest unit counted ({unit_hours} hours)."),
    "hours.daily_cap": QT_TRANSLATE_NOOP(
        "Messages", "That makes {total_hours} hours in one day; at most {cap_hours} hours a day are counted."),
    "hours.sign_order": QT_TRANSLATE_NOOP("Messages", "The sign-out time is before the sign-in time."),
    "hours.time_missing": QT_TRANSLATE_NOOP("Messages", "Enter the hours, or the sign-in and sign-out times."),
    "hours.duplicate_line": QT_TRANSLATE_NOOP(
        "Messages", "This volunteer already has hours for this activity on that day."),
    "hours.not_pending": QT_TRANSLATE_NOOP(
        "Messages", "These hours were already confirmed; use a correction to change them."),
    "hours.reason_required": QT_TRANSLATE_NOOP("Messages", "Write the reason for the correction."),
    "hours.void": QT_TRANSLATE_NOOP("Messages", "These hours were voided and cannot be changed."),
    "certificate.no_confirmed_hours": QT_TRANSLATE_NOOP(
        "Messages", "There are no confirmed hours in this period, so no certificate can be issued. Confirm the "
                    "hours first or choose another period."),
    "certificate.no_issuing_body": QT_TRANSLATE_NOOP(
        "Messages", "Set the certificate's issuing body in Settings first."),
    "team.duplicate_name": QT_TRANSLATE_NOOP(
        "Messages", "A volunteer team with this name already exists. Choose another name or use that team."),
    "print.handler_required": QT_TRANSLATE_NOOP(
        "Messages", "No station head is on file to sign as handling officer. Add the station head under Settings "
                    "first."),
    "permission.issue_certificate": QT_TRANSLATE_NOOP(
        "Messages", "Only the station head can issue volunteer service certificates."),
    # roster import
    "roster.not_found": QT_TRANSLATE_NOOP("Messages", "The roster file was not found."),
    "roster.xls_unsupported": QT_TRANSLATE_NOOP(
        "Messages", "Old .xls files cannot be read. Open it in Excel or WPS and save it as .xlsx."),
    "roster.unsupported_format": QT_TRANSLATE_NOOP("Messages", "A roster must be an .xlsx or .csv file."),
    "roster.unreadable": QT_TRANSLATE_NOOP(
        "Messages", "The roster file cannot be read; it may be damaged or protected by a password."),
    "roster.encoding": QT_TRANSLATE_NOOP(
        "Messages", "The CSV file is neither UTF-8 nor GB18030. Save it again as CSV (UTF-8)."),
    "roster.no_header": QT_TRANSLATE_NOOP("Messages", "The roster has no header row."),
    "roster.missing_column": QT_TRANSLATE_NOOP("Messages", "The roster has no '{column}' column."),
    "roster.changed": QT_TRANSLATE_NOOP(
        "Messages", "The file changed after the preview. Preview it again."),
    "roster.duplicate_column": QT_TRANSLATE_NOOP("Messages", "Two columns of the roster mean '{column}'."),
    "roster.duplicate_in_file": QT_TRANSLATE_NOOP(
        "Messages", "The same ID number is already on row {first_row} of the file."),
    "roster.id_required": QT_TRANSLATE_NOOP("Messages", "A volunteer needs an ID number."),
    "roster.id_matches_several": QT_TRANSLATE_NOOP(
        "Messages", "{count} people already registered have this ID number; merge them first or leave the row out."),
    "roster.unknown_sex": QT_TRANSLATE_NOOP("Messages", "Write the sex as 男 or 女."),
    "roster.date_format": QT_TRANSLATE_NOOP("Messages", "The date is not a real date like 1956-03-12."),
    "roster.unknown_ethnicity": QT_TRANSLATE_NOOP("Messages", "'{value}' is not an ethnicity in the list."),
    "roster.unknown_category": QT_TRANSLATE_NOOP(
        "Messages", "'{value}' is not a category in the station's list (add it in Settings if it is needed)."),
    "roster.too_long": QT_TRANSLATE_NOOP("Messages", "The text has {length} characters; at most {max} fit."),
    "id_number.birth_date_differs": QT_TRANSLATE_NOOP(
        "Messages", "The birth date differs from the one in the ID number; the ID number's date is used."),
    "volunteer.minor_without_guardian_consent": QT_TRANSLATE_NOOP(
        "Messages", "A volunteer under 18 needs the guardian's consent; keep the signed form on file."),
    # settings
    "permission.reveal_id": QT_TRANSLATE_NOOP(
        "Messages", "Your role may not see full ID numbers. Ask the station head if you need the number."),
    "permission.manage_settings": QT_TRANSLATE_NOOP(
        "Messages", "Only the station head can change the settings."),
    "text.too_long": QT_TRANSLATE_NOOP("Messages", "The text has {length} characters; at most {max} are allowed."),
    "taxonomy.empty": QT_TRANSLATE_NOOP("Messages", "Write the name of the list entry."),
    "community.name_empty": QT_TRANSLATE_NOOP("Messages", "Write the village's or community's name."),
    "handover.same_staff": QT_TRANSLATE_NOOP("Messages", "Choose another worker to hand the cases over to."),
    "staff.not_found": QT_TRANSLATE_NOOP("Messages", "This worker is no longer in the records."),
    # the national volunteer system's upload file
    "volunteer_system.bad_template": QT_TRANSLATE_NOOP(
        "Messages", "The export template for the volunteer system is malformed (sheet {sheet}). Correct it in "
        "Settings."),
    "volunteer_system.unknown_field": QT_TRANSLATE_NOOP(
        "Messages", "The export template for the volunteer system names an unknown field {field_name} (sheet "
        "{sheet}). Correct it in Settings."),
    "volunteer_system.bad_sheet_name": QT_TRANSLATE_NOOP(
        "Messages", "The sheet name {name} cannot be used in Excel: at most {max} characters, and "
        "none of / ? * : [ ] or a backslash."),
    "volunteer_system.same_sheet_names": QT_TRANSLATE_NOOP(
        "Messages", "The two sheets need different names."),
    # the centre: station cards, bundles (services/centre.py, sync/)
    "card.invalid": QT_TRANSLATE_NOOP("Messages", "The card file is not valid. Get the card again."),
    "card.signature": QT_TRANSLATE_NOOP("Messages", "The card was altered. Get the card again."),
    "card.fingerprint": QT_TRANSLATE_NOOP(
        "Messages", "A fingerprint written on the card does not match its key. Get the card again."),
    "card.unexpected_fingerprint": QT_TRANSLATE_NOOP(
        "Messages", "The card's key fingerprint is not the one compared; it was not registered. Call the other "
                    "side again."),
    "card.format_version": QT_TRANSLATE_NOOP(
        "Messages", "The card was made by a newer version of this program. Install the newer version first."),
    "fingerprint.invalid": QT_TRANSLATE_NOOP(
        "Messages", "A key fingerprint is 32 characters 0-9 and A-F, in eight groups of four."),
    "rotation.invalid": QT_TRANSLATE_NOOP("Messages", "The key change statement is not valid. Get it again."),
    "rotation.signature": QT_TRANSLATE_NOOP("Messages", "The key change statement was altered. Get it again."),
    "rotation.wrong_key": QT_TRANSLATE_NOOP(
        "Messages", "The key change statement was not signed by the key registered now, so it was refused. "
                    "Register the station's new card after comparing its fingerprint on the phone."),
    "bundle.unreadable": QT_TRANSLATE_NOOP(
        "Messages", "The bundle cannot be read. Check the USB stick and copy the file again."),
    "bundle.too_large": QT_TRANSLATE_NOOP(
        "Messages", "The file is larger than a bundle may be. Ask the station for a bundle of its changes only."),
    "bundle.not_zip": QT_TRANSLATE_NOOP(
        "Messages", "The file is not a bundle. Choose the .wsb file the station exported."),
    "bundle.truncated": QT_TRANSLATE_NOOP(
        "Messages", "The bundle is cut off. Copy it again (remove the USB stick safely first)."),
    "bundle.container": QT_TRANSLATE_NOOP(
        "Messages", "The bundle's layout was altered; nothing was imported. Ask the station to export it again."),
    "bundle.member_path": QT_TRANSLATE_NOOP(
        "Messages", "The bundle was altered (it holds a file named like a path); nothing was imported."),
    "bundle.duplicate_member": QT_TRANSLATE_NOOP(
        "Messages", "The bundle was altered (it holds a file twice); nothing was imported."),
    "bundle.members": QT_TRANSLATE_NOOP(
        "Messages", "The bundle was altered (its files are not the three it must hold); nothing was imported."),
    "bundle.header_mismatch": QT_TRANSLATE_NOOP(
        "Messages", "The bundle was altered (its file headers disagree); nothing was imported."),
    "bundle.manifest_too_large": QT_TRANSLATE_NOOP(
        "Messages", "The bundle's list of contents is over the size limit; nothing was imported."),
    "bundle.signature": QT_TRANSLATE_NOOP(
        "Messages", "The bundle's signature does not verify: the file was altered or damaged, and nothing was "
                    "imported. Ask the station to export it again."),
    "bundle.demo_station": QT_TRANSLATE_NOOP(
        "Messages", "The bundle comes from the demo station; demo data is never imported."),
    "bundle.unknown_station": QT_TRANSLATE_NOOP(
        "Messages", "The bundle comes from a station not registered here. Register the station's card first "
                    "(Station register)."),
    "bundle.unknown_key": QT_TRANSLATE_NOOP(
        "Messages", "The bundle was signed with a key this centre has not registered (a new PC or a key change). "
                    "Compare the fingerprint with the station by phone and register its new card."),
    "bundle.key_revoked": QT_TRANSLATE_NOOP(
        "Messages", "The bundle was signed with a revoked key; nothing was imported. The station must make a new "
                    "key and register its new card."),
    "bundle.manifest_invalid": QT_TRANSLATE_NOOP(
        "Messages", "The bundle's list of contents is not valid. Ask the station to export again with the current "
                    "version of the program."),
    "bundle.format_version": QT_TRANSLATE_NOOP(
        "Messages", "The bundle was made by a newer version of this program. Upgrade the centre's program first."),
    "bundle.suite": QT_TRANSLATE_NOOP(
        "Messages", "The bundle uses a signing or encryption method this program does not know. Upgrade the "
                    "centre's program."),
    "bundle.wrong_centre": QT_TRANSLATE_NOOP(
        "Messages", "The bundle was made for another centre's key. The station must import this centre's card "
                    "and export the bundle again."),
    "bundle.schema_unknown": QT_TRANSLATE_NOOP(
        "Messages", "The bundle comes from a database version this program does not know. Upgrade the centre's "
                    "program."),
    "bundle.payload_hash": QT_TRANSLATE_NOOP(
        "Messages", "The bundle's data does not match its signed list of contents: the file was altered, and "
                    "nothing was imported. Ask the station to export it again."),
    "bundle.decrypt": QT_TRANSLATE_NOOP(
        "Messages", "The bundle's data cannot be decrypted or is cut short; nothing was imported."),
    "bundle.decompression_bomb": QT_TRANSLATE_NOOP(
        "Messages", "The bundle unpacks to more than the limit; nothing was imported."),
    "bundle.payload_invalid": QT_TRANSLATE_NOOP(
        "Messages", "The bundle holds a record that is not valid; nothing was imported. Tell the station."),
    "bundle.foreign_rows": QT_TRANSLATE_NOOP(
        "Messages", "The bundle holds records of another station, so none of it was imported."),
    "bundle.table_counts": QT_TRANSLATE_NOOP(
        "Messages", "The bundle's record counts do not match its list of contents; nothing was imported."),
    "bundle.changed": QT_TRANSLATE_NOOP(
        "Messages", "The bundle file changed while it was checked. Copy it to this PC and import it again."),
    "centre.station_unknown": QT_TRANSLATE_NOOP(
        "Messages", "No station with code {station_code} is registered at this centre."),
    "centre.demo_station": QT_TRANSLATE_NOOP(
        "Messages", "That is the demo station's card; demo stations are never registered."),
    "centre.key_revoked_before": QT_TRANSLATE_NOOP(
        "Messages", "Key {fingerprint} of station {station_code} was revoked and is never registered again. The "
                    "station must make a new key."),
    "centre.station_revoked": QT_TRANSLATE_NOOP(
        "Messages", "Station {station_code}'s key is revoked, so its key change statement is refused. Register its "
                    "new card after comparing the fingerprint on the phone."),
    "centre.uuid_conflict": QT_TRANSLATE_NOOP(
        "Messages", "The bundle holds records whose identity belongs to another station's records; nothing was "
                    "imported. Tell technical support."),
    "centre.import_conflict": QT_TRANSLATE_NOOP(
        "Messages", "The bundle's records clash with records the centre already holds from station {station} (for "
                    "example the station set up a new database instead of restoring its backup); nothing was "
                    "imported. Tell technical support."),
    "centre.missing_parents": QT_TRANSLATE_NOOP(
        "Messages", "The bundle refers to records of station {station} that the centre never received; nothing was "
                    "imported. Ask the station for a full export."),
    "centre.row_invalid": QT_TRANSLATE_NOOP(
        "Messages", "The bundle holds a value the centre cannot store ({table}.{column}); nothing was imported. The "
                    "station's or the centre's program may need upgrading."),
    "centre.unknown_table": QT_TRANSLATE_NOOP(
        "Messages", "The bundle holds a kind of record ({table}) that is never exchanged; nothing was imported."),
    "keys.private_missing": QT_TRANSLATE_NOOP(
        "Messages", "This PC does not hold the private key of {code} (a new PC, or a restored backup). Make a new "
                    "key and have it registered again."),
    # activities, sign-in rosters, donations and distribution
    "text.required": QT_TRANSLATE_NOOP("Messages", "This must be filled in."),
    "count.negative": QT_TRANSLATE_NOOP("Messages", "A number of people cannot be negative."),
    "amount.negative": QT_TRANSLATE_NOOP("Messages", "The amount cannot be negative."),
    "activity.session_no": QT_TRANSLATE_NOOP("Messages", "The session number starts at 1."),
    "activity.group_required": QT_TRANSLATE_NOOP("Messages", "A group session must name its group."),
    "activity.group_type_mismatch": QT_TRANSLATE_NOOP(
        "Messages", "Only a group session can belong to a group; change the activity type or remove the group."),
    "activity.has_hours": QT_TRANSLATE_NOOP(
        "Messages", "The activity has {lines} volunteer hour lines; void them before deleting it."),
    "attendee.one_of": QT_TRANSLATE_NOOP(
        "Messages", "Each sign-in line needs exactly one of: a person served, a volunteer, or a name."),
    "attendee.duplicate": QT_TRANSLATE_NOOP("Messages", "This person is already on the sign-in roster."),
    "donation.donor_name_required": QT_TRANSLATE_NOOP(
        "Messages", "Give the donor's name, or choose Anonymous as the donor type."),
    "donation.amount_required": QT_TRANSLATE_NOOP("Messages", "A money donation needs an amount above zero."),
    "donation.recipient_required": QT_TRANSLATE_NOOP(
        "Messages", "Name the charity that received the money; a station cannot receive money donations itself."),
    "donation.amount_only_for_money": QT_TRANSLATE_NOOP(
        "Messages", "Only a money donation has an amount; value goods per line instead."),
    "donation.items_required": QT_TRANSLATE_NOOP("Messages", "A goods donation needs at least one goods line."),
    "donation.items_only_for_goods": QT_TRANSLATE_NOOP("Messages", "Only a goods donation has goods lines."),
    "donation.purpose_required": QT_TRANSLATE_NOOP("Messages", "A restricted donation needs its purpose."),
    "donation.receipt_kind_mismatch": QT_TRANSLATE_NOOP(
        "Messages", "Only an anonymous donation goes without a receipt as anonymous."),
    "donation.receipt_no_required": QT_TRANSLATE_NOOP(
        "Messages", "Give the number of the receipt the charity issued."),
    "donation.has_distributions": QT_TRANSLATE_NOOP(
        "Messages", "Part of this donation has already been handed out, so it cannot be changed that way."),
    "donation.below_distributed": QT_TRANSLATE_NOOP(
        "Messages", "More than that has already been handed out; the donation cannot be reduced below it."),
    "donation_item.quantity_not_positive": QT_TRANSLATE_NOOP("Messages", "The quantity must be more than zero."),
    "donation_item.expired": QT_TRANSLATE_NOOP(
        "Messages", "The goods were already past their expiry date when received."),
    "distribution.target_required": QT_TRANSLATE_NOOP(
        "Messages", "Say who received it: choose a person served or an activity."),
    "distribution.item_required": QT_TRANSLATE_NOOP("Messages", "Choose which goods are handed out."),
    "distribution.item_mismatch": QT_TRANSLATE_NOOP(
        "Messages", "The goods chosen do not belong to this donation."),
    "distribution.amount_only_for_money": QT_TRANSLATE_NOOP(
        "Messages", "Goods are handed out by quantity; leave the amount empty."),
    "distribution.quantity_not_positive": QT_TRANSLATE_NOOP(
        "Messages", "The quantity handed out must be more than zero."),
    "distribution.amount_not_positive": QT_TRANSLATE_NOOP(
        "Messages", "The amount handed out must be more than zero."),
    "distribution.exceeds_stock": QT_TRANSLATE_NOOP("Messages", "That is more than what is left of the donation."),
    "distribution.expired": QT_TRANSLATE_NOOP(
        "Messages", "The goods expired on {expiry} and cannot be handed out."),
    "distribution.not_distributable": QT_TRANSLATE_NOOP(
        "Messages", "Only money and goods donations are handed out."),
    "print.rows_range": QT_TRANSLATE_NOOP("Messages", "A sign-in sheet has {min} to {max} rows."),
    "print.month_format": QT_TRANSLATE_NOOP("Messages", "Give the month like 2026-11."),
    "print.batch_empty": QT_TRANSLATE_NOOP("Messages", "There is nothing to print in the period chosen."),
    # lists and export
    "export.cannot_write": QT_TRANSLATE_NOOP(
        "Messages", "The file cannot be written. It may be open in Excel or WPS; close it and try again."),
    # the station's sync screen: bundles, receipts, the centre's card
    "export.no_centre_card": QT_TRANSLATE_NOOP(
        "Messages", "Import the centre's card first (Data sync, Import centre card): bundles are encrypted to the "
                    "centre's key and its receipts are checked with it."),
    "keys.centre_already_set": QT_TRANSLATE_NOOP(
        "Messages", "A centre card is already imported (fingerprint {current}); the new card has fingerprint {new}. "
                    "Check it with the centre by phone before replacing it."),
    "receipt.invalid": QT_TRANSLATE_NOOP(
        "Messages", "The receipt file is not valid. Ask the centre for the receipt again."),
    "receipt.signature": QT_TRANSLATE_NOOP("Messages", "The receipt was altered. Ask the centre for it again."),
    "receipt.wrong_centre": QT_TRANSLATE_NOOP(
        "Messages", "The receipt was not signed by this station's centre. Import the right centre card or the right "
                    "receipt."),
    "receipt.wrong_station": QT_TRANSLATE_NOOP("Messages", "The receipt is for another station, not this one."),
    "receipt.format_version": QT_TRANSLATE_NOOP(
        "Messages", "The receipt was made by a newer version of this program. Install the newer version first."),
}

# Family sentences for codes without a sentence of their own (longest prefix wins).
FAMILIES: dict[str, str] = {
    "id_number.": QT_TRANSLATE_NOOP("Messages", "The ID number is not valid. Check it against the card."),
    "phone.": QT_TRANSLATE_NOOP("Messages", "The phone number is not valid. Check it."),
    "name.": QT_TRANSLATE_NOOP("Messages", "The name is not valid. Check it."),
    "date.": QT_TRANSLATE_NOOP("Messages", "A date is not valid. Check the dates."),
    "database.": QT_TRANSLATE_NOOP(
        "Messages", "The database cannot be used right now. Nothing was saved. Close the program, open it "
                    "again and retry; if it happens again, call technical support."),
    "permission.": QT_TRANSLATE_NOOP(
        "Messages", "Your role does not allow this. Ask the station head to do it or to change your role."),
    "case.stage.": QT_TRANSLATE_NOOP(
        "Messages", "The case cannot move to that stage yet. The stage bar shows what is missing."),
    "roster.": QT_TRANSLATE_NOOP("Messages", "A row of the roster has a problem. Fix it in the file and retry."),
    "hours.": QT_TRANSLATE_NOOP("Messages", "The volunteer hours are not valid. Check them."),
    "certificate.": QT_TRANSLATE_NOOP("Messages", "The certificate cannot be issued as asked."),
}

GENERIC = QT_TRANSLATE_NOOP(
    "Messages", "The action was not carried out (code {code}). Check what you entered; if it looks right, tell "
                "technical support this code.")

# Field names as the sentences quote them.
FIELDS: dict[str, str] = {
    "birth_date": QT_TRANSLATE_NOOP("Fields", "birth date"),
    "intake_date": QT_TRANSLATE_NOOP("Fields", "intake date"),
    "service_date": QT_TRANSLATE_NOOP("Fields", "service date"),
    "signed_on": QT_TRANSLATE_NOOP("Fields", "signing date"),
    "registered_on": QT_TRANSLATE_NOOP("Fields", "registration date"),
    "received_on": QT_TRANSLATE_NOOP("Fields", "date received"),
    "closed_on": QT_TRANSLATE_NOOP("Fields", "closing date"),
    "date_to": QT_TRANSLATE_NOOP("Fields", "end date"),
    "date_from": QT_TRANSLATE_NOOP("Fields", "start date"),
    "assessed_on": QT_TRANSLATE_NOOP("Fields", "assessment date"),
    "made_on": QT_TRANSLATE_NOOP("Fields", "plan date"),
    "review_on": QT_TRANSLATE_NOOP("Fields", "review date"),
    "evaluated_on": QT_TRANSLATE_NOOP("Fields", "evaluation date"),
    "informed_at": QT_TRANSLATE_NOOP("Fields", "date informed"),
    "referred_on": QT_TRANSLATE_NOOP("Fields", "referral date"),
    "outcome_on": QT_TRANSLATE_NOOP("Fields", "feedback date"),
    "followed_on": QT_TRANSLATE_NOOP("Fields", "follow-up date"),
}


def translate(context: str, text: str) -> str:
    """Translate a string that was marked with ``QT_TRANSLATE_NOOP``."""
    return QCoreApplication.translate(context, text)


class _Params(dict[str, Any]):
    """Format parameters that leave an unknown placeholder visibly empty, never crash."""

    def __missing__(self, key: str) -> str:
        return ""


def _params(error: WusheError) -> _Params:
    params = _Params(error.params)
    params["code"] = error.code
    params["field"] = translate("Fields", FIELDS[error.field]) if error.field in FIELDS else ""
    if "earlier_field" in params and params["earlier_field"] in FIELDS:
        params["earlier_field"] = translate("Fields", FIELDS[params["earlier_field"]])
    for key, value in error.params.items():
        if key.endswith("_tenths") and isinstance(value, int):
            params[key.removesuffix("_tenths") + "_hours"] = f"{value / 10:g}"
    return params


def template_for(code: str) -> str:
    """The English source sentence for a code: its own, its family's, or the generic one."""
    if code in MESSAGES:
        return MESSAGES[code]
    families = [prefix for prefix in FAMILIES if code.startswith(prefix)]
    if families:
        return FAMILIES[max(families, key=len)]
    return GENERIC


def message_for(error: WusheError) -> str:
    """The translated sentence for a coded error (several for ``ValidationErrors``)."""
    if isinstance(error, ValidationErrors):
        return "\n".join(message_for(item) for item in error.errors)
    return translate(_CTX, template_for(error.code)).format_map(_params(error))


def field_errors(error: WusheError) -> dict[str, str]:
    """Field name → sentence, for showing validation errors next to their fields.

    Errors without a field are collected under the empty string.
    """
    items = error.errors if isinstance(error, ValidationErrors) else [error]
    found: dict[str, str] = {}
    for item in items:
        key = item.field or ""
        text = message_for(item)
        found[key] = f"{found[key]}\n{text}" if key in found else text
    return found


# Dialogs without a parent window, kept alive until closed (Python would collect them).
_ORPHANS: set[QMessageBox] = set()


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal if parent is not None
                          else Qt.WindowModality.ApplicationModal)
    if parent is None:
        _ORPHANS.add(box)
        box.finished.connect(lambda _result: _ORPHANS.discard(box))
    return box


def show_error(parent: QWidget | None, error: BaseException, traceback_text: str = "") -> QMessageBox:
    """Tell the user about a failure without blocking the caller.

    A :class:`WusheError` becomes its Chinese sentence; anything else is a bug: it is
    logged with its traceback and the dialog says so and names the log file.

    Args:
        parent: The window the dialog belongs to.
        error: What went wrong.
        traceback_text: The formatted traceback, for bugs (from the worker thread).

    Returns:
        The dialog, already shown (window-modal, deleted when closed).
    """
    if not traceback_text and error.__traceback__ is not None and not isinstance(error, WusheError):
        traceback_text = "".join(traceback.format_exception(error))
    if isinstance(error, WusheError):
        log.info("refused: %s", error.describe())
        title = QCoreApplication.translate("Messages", "Not done")
        box = _box(parent, QMessageBox.Icon.Warning, title, message_for(error))
    else:
        log.error("bug: %r\n%s", error, traceback_text or "(no traceback)")
        where = log_file()
        if where is not None:
            text = QCoreApplication.translate(
                "Messages", "Something went wrong inside the program. This is a bug, not your mistake; what you "
                            "saved before is safe. Please tell technical support and send them the log file: "
                            "{path}").format(path=str(where))
        else:
            text = QCoreApplication.translate(
                "Messages", "Something went wrong inside the program. This is a bug, not your mistake; what you "
                            "saved before is safe. Please tell technical support.")
        title = QCoreApplication.translate("Messages", "Program error")
        box = _box(parent, QMessageBox.Icon.Critical, title, text)
        if traceback_text:
            box.setDetailedText(traceback_text)
    box.open()
    return box


def confirm(parent: QWidget | None, title: str, text: str, yes: str, no: str) -> bool:
    """Ask a yes/no question (modal). Tests replace this function.

    Args:
        parent: The window asking.
        title: The dialog's title.
        text: The question, a whole sentence.
        yes: The label of the button that goes ahead.
        no: The label of the button that keeps things as they are (the default).

    Returns:
        Whether the user chose ``yes``.
    """
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    stay = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stay)
    box.exec()
    return box.clickedButton() is go


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the user something and wait until they close the box (modal). Tests replace this."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent)
    box.exec()
