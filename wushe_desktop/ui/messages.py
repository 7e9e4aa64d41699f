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
    # lists and export
    "export.cannot_write": QT_TRANSLATE_NOOP(
        "Messages", "The file cannot be written. It may be open in Excel or WPS; close it and try again."),
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
