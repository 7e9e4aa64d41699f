"""Validation and normalisation of what people type: ID numbers, names, phones, codes, hours.

Every check raises :class:`~wushe_desktop.errors.ValidationError` with a stable ``code``
and the ``field`` at fault; nothing here builds a user sentence. The rules follow the
domain brief (§6.1–6.6, §3.4):

* 居民身份证号 (resident ID number, GB 11643-1999): MOD 11-2 check character, a real
  birth date, a known province prefix; unknown or retired county codes are accepted
  because an ID keeps the code valid when it was issued.
* Names (姓名) may carry the separator "·" U+00B7 and at least 50 code points
  (民委发〔2016〕33号); look-alike dots are mapped to it.
* Phone numbers (手机 / 座机), 统一社会信用代码 (USCC, GB 32100-2015), 残疾人证号,
  administrative division codes (行政区划代码 / 统计用区划代码).
* Volunteer hours (志愿服务时长) are integers in tenths of an hour, never floats.

Standard library only: the domain layer is plain Python.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal, overload

from wushe_desktop.domain.enums import Sex
from wushe_desktop.errors import ValidationError

__all__ = [
    "ID_CHECK_CHARS",
    "ID_WEIGHTS",
    "MIN_BIRTH_YEAR",
    "NAME_MAX_LENGTH",
    "NAME_SEPARATOR",
    "PROVINCE_PREFIXES",
    "USCC_ALPHABET",
    "USCC_WEIGHTS",
    "HoursRule",
    "IdNumberInfo",
    "PhoneNumber",
    "age_on",
    "check_daily_cap",
    "check_date_order",
    "check_not_future",
    "credit_hours",
    "id_number_check_char",
    "mask_id_number",
    "mask_phone",
    "normalize_id_number",
    "normalize_mongolian_script",
    "normalize_name",
    "normalize_phone",
    "parse_hours_text",
    "parse_id_number",
    "sex_matches_id",
    "validate_disability_cert",
    "validate_division_code",
    "validate_uscc",
]

# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------

#: First two digits of ID numbers and division codes: the 31 mainland provinces,
#: Taiwan (71), Hong Kong (81), Macau (82) and Taiwan residents' residence permits (83).
PROVINCE_PREFIXES: Final[frozenset[str]] = frozenset(
    [str(n) for n in range(11, 16)]
    + [str(n) for n in range(21, 24)]
    + [str(n) for n in range(31, 38)]
    + [str(n) for n in range(41, 47)]
    + [str(n) for n in range(50, 55)]
    + [str(n) for n in range(61, 66)]
    + ["71", "81", "82", "83"]
)

# Full-width ASCII variants (U+FF01..U+FF5E) map to ASCII by a fixed offset; the
# ideographic space U+3000 becomes a plain space.
_HALFWIDTH: Final[dict[int, int]] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20

# Invisible characters that ride along with text pasted from web pages and Excel.
_INVISIBLE_RE: Final = re.compile("[\u200b\u2060\ufeff]")


def _to_halfwidth(text: str) -> str:
    """Map full-width ASCII look-alikes (０-９, Ａ-Ｚ, ａ-ｚ, punctuation) to ASCII."""
    return text.translate(_HALFWIDTH)


# ---------------------------------------------------------------------------
# 居民身份证号 (GB 11643-1999)
# ---------------------------------------------------------------------------

#: ISO 7064 MOD 11-2 weights of the first 17 digits.
ID_WEIGHTS: Final[tuple[int, ...]] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: Check character indexed by the weighted sum modulo 11.
ID_CHECK_CHARS: Final[str] = "10X98765432"
#: Earliest accepted birth year; older dates are treated as typing errors.
MIN_BIRTH_YEAR: Final[int] = 1890

_ID18_RE: Final = re.compile(r"\d{17}[\dX]", re.ASCII)
_ID15_RE: Final = re.compile(r"\d{15}", re.ASCII)
# What Excel does to a long number typed into a General cell: scientific notation
# ("1.50121E+17") or a float rendering ("150121199001011234.0").
_EXCEL_SCI_RE: Final = re.compile(r"\d+(?:\.\d*)?E[+-]?\d+", re.IGNORECASE | re.ASCII)
_EXCEL_FLOAT_RE: Final = re.compile(r"\d+\.0+", re.ASCII)
_ID_FIELD: Final = "id_number"


@dataclass(frozen=True)
class IdNumberInfo:
    """What a valid resident ID number says about its holder.

    Attributes:
        number: The normalised 18-character number, check character ``X`` upper case.
        birth_date: Date of birth (digits 7-14).
        sex: From digit 17 (the last sequence digit): odd is male, even is female.
        region_code: The first six digits, the county code at issuance (may be retired).
        converted_from_15: True when the input was a 15-digit first-generation number.
    """

    number: str
    birth_date: date
    sex: Sex
    region_code: str
    converted_from_15: bool


def normalize_id_number(raw: str) -> str:
    """Normalise how an ID number was typed, without validating it.

    Removes all whitespace (including the ideographic space and zero-width characters),
    maps full-width digits and letters to ASCII and upper-cases ``x``.

    Args:
        raw: The text as typed or imported.

    Returns:
        The cleaned text; it may still be invalid.
    """
    text = _INVISIBLE_RE.sub("", _to_halfwidth(raw))
    return "".join(text.split()).replace("x", "X")


def id_number_check_char(first17: str) -> str:
    """Compute the MOD 11-2 check character of an 18-digit ID number.

    Args:
        first17: The first 17 characters, all ASCII digits.

    Returns:
        One of ``0-9`` or ``X``.

    Raises:
        ValueError: If ``first17`` is not exactly 17 ASCII digits (a programming error:
            callers validate the format first).
    """
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"need 17 ASCII digits, got {len(first17)} characters")
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def _date_from_digits(digits: str) -> date | None:
    """Return the date ``YYYYMMDD`` names, or None if it is not a calendar date."""
    try:
        return date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def _upgrade_15(number15: str) -> str:
    """Turn a 15-digit number into its 18-digit form (no date check)."""
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + id_number_check_char(first17)


def parse_id_number(raw: str, *, today: date | None = None) -> IdNumberInfo:
    """Validate a resident ID number and read the birth date, sex and region from it.

    Checks, in order: empty, Excel-mangled number, format (18 characters, or 15 digits
    for conversion), province prefix, birth date, future birth, check character. The
    structural checks come before the checksum so that a typo in the date or the
    province is reported where it is.

    Args:
        raw: The number as typed; see :func:`normalize_id_number`.
        today: The reference date for "not in the future"; defaults to the system date.

    Returns:
        The parsed number.

    Raises:
        ValidationError: ``field="id_number"`` with code ``id_number.empty``,
            ``id_number.excel_number``, ``id_number.format``,
            ``id_number.fifteen_digit_invalid``, ``id_number.province``
            (param ``prefix``), ``id_number.birth_date``, ``id_number.future_birth`` or
            ``id_number.checksum`` (param ``expected``: the correct check character).
    """
    number = normalize_id_number(raw)
    if not number:
        raise ValidationError("id_number.empty", field=_ID_FIELD)
    if _EXCEL_SCI_RE.fullmatch(number) or _EXCEL_FLOAT_RE.fullmatch(number):
        raise ValidationError("id_number.excel_number", field=_ID_FIELD)

    converted = False
    if _ID15_RE.fullmatch(number):
        if number[:2] not in PROVINCE_PREFIXES:
            raise ValidationError("id_number.province", field=_ID_FIELD, prefix=number[:2])
        if _date_from_digits("19" + number[6:12]) is None:
            raise ValidationError("id_number.fifteen_digit_invalid", field=_ID_FIELD)
        number = _upgrade_15(number)
        converted = True
    elif not _ID18_RE.fullmatch(number):
        raise ValidationError("id_number.format", field=_ID_FIELD)

    if number[:2] not in PROVINCE_PREFIXES:
        raise ValidationError("id_number.province", field=_ID_FIELD, prefix=number[:2])
    birth = _date_from_digits(number[6:14])
    if birth is None or birth.year < MIN_BIRTH_YEAR:
        raise ValidationError("id_number.birth_date", field=_ID_FIELD)
    if birth > (today if today is not None else date.today()):
        raise ValidationError("id_number.future_birth", field=_ID_FIELD)
    expected = id_number_check_char(number[:17])
    if number[17] != expected:
        if number.endswith("000"):
            # Excel keeps 15 significant digits: a number cell turns the last three into 0.
            raise ValidationError("id_number.excel_number", field=_ID_FIELD)
        raise ValidationError("id_number.checksum", field=_ID_FIELD, expected=expected)

    return IdNumberInfo(
        number=number,
        birth_date=birth,
        sex=Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE,
        region_code=number[:6],
        converted_from_15=converted,
    )


def sex_matches_id(sex: Sex, info: IdNumberInfo) -> bool:
    """Whether the entered sex agrees with the ID number's digit 17.

    A mismatch is a warning for the user to confirm, not an error: wrongly issued
    numbers exist.
    """
    return sex == info.sex


# ---------------------------------------------------------------------------
# Names (姓名), including Mongolian names in Chinese transliteration
# ---------------------------------------------------------------------------

#: The only name separator allowed by 民委发〔2016〕33号 (GB 18030 A1A4).
NAME_SEPARATOR: Final[str] = "\u00b7"
#: Name fields must hold at least 50 characters; counted in code points.
NAME_MAX_LENGTH: Final[int] = 50

# Dots people type instead of U+00B7 (input methods, Japanese fonts, Word bullets).
_LOOKALIKE_DOTS: Final[str] = (
    "\u2022"  # • bullet
    "\u30fb"  # ・ katakana middle dot
    "\uff65"  # ･ half-width katakana middle dot
    "\uff0e"  # ． full-width full stop
    "."
    "\u2027"  # ‧ hyphenation point
    "\u22c5"  # ⋅ dot operator
    "\u2219"  # ∙ bullet operator
    "\u0387"  # · Greek ano teleia (NFC maps it to U+00B7 anyway)
)
_DOT_MAP: Final[dict[int, str]] = dict.fromkeys(map(ord, _LOOKALIKE_DOTS), NAME_SEPARATOR)
_SPACES_RE: Final = re.compile(r"\s+")
_SPACED_SEPARATOR_RE: Final = re.compile(" ?\u00b7 ?")

# Han ideograph blocks: URO, Ext A, compatibility ideographs, and all of planes 2 and 3
# (Ext B-I and the compatibility supplement). Whole planes so that ideographs added by
# Unicode versions newer than this Python's tables are still accepted.
_HAN_RANGES: Final[tuple[tuple[int, int], ...]] = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
)
_VARIATION_SELECTORS: Final[tuple[tuple[int, int], ...]] = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))


def _in_ranges(char: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def _is_han(char: str) -> bool:
    return char == "\u3007" or _in_ranges(char, _HAN_RANGES)  # 〇 appears in real names


def normalize_name(raw: str) -> str:
    """Normalise and check a legal name (姓名).

    Applies NFC, maps look-alike dots to "·" U+00B7, removes spaces around it,
    collapses inner whitespace to one space and strips the ends. Names are not split
    into surname and given name: many Mongolian citizens have a single given name.

    Accepted characters are Han ideographs of every block (including CJK Ext A and the
    supplementary planes, e.g. 𣵦), 〇, the separator, inner spaces, and ideographic
    variation selectors directly after an ideograph.

    Args:
        raw: The name as typed.

    Returns:
        The normalised name; applying this function again returns it unchanged.

    Raises:
        ValidationError: ``field="name"`` with code ``name.empty``,
            ``name.invalid_char`` (param ``char``), ``name.bad_separator`` or
            ``name.too_long`` (params ``max``, ``length``).
    """
    text = unicodedata.normalize("NFC", raw)
    text = _INVISIBLE_RE.sub("", text).translate(_DOT_MAP)
    text = _SPACES_RE.sub(" ", text).strip()
    text = _SPACED_SEPARATOR_RE.sub(NAME_SEPARATOR, text)
    if not text:
        raise ValidationError("name.empty", field="name")

    previous = ""
    for char in text:
        allowed = (
            _is_han(char)
            or char in (NAME_SEPARATOR, " ")
            or (bool(previous) and _in_ranges(char, _VARIATION_SELECTORS) and _is_han(previous))
        )
        if not allowed:
            raise ValidationError("name.invalid_char", field="name", char=char)
        previous = char

    if (
        text.startswith(NAME_SEPARATOR)
        or text.endswith(NAME_SEPARATOR)
        or NAME_SEPARATOR * 2 in text
    ):
        raise ValidationError("name.bad_separator", field="name")
    if len(text) > NAME_MAX_LENGTH:
        raise ValidationError("name.too_long", field="name", max=NAME_MAX_LENGTH, length=len(text))
    return text


# Traditional Mongolian script (传统蒙古文): the Mongolian block, its supplement, and the
# format characters GB/T 25914 uses inside words (NNBSP, ZWNJ, ZWJ). FVS1-4 and MVS
# sit inside U+1800-U+18AF.
_MONGOLIAN_RANGES: Final[tuple[tuple[int, int], ...]] = (
    (0x1800, 0x18AF),
    (0x11660, 0x1167F),
    (0x202F, 0x202F),
    (0x200C, 0x200D),
)
_PUA_RANGE: Final[tuple[tuple[int, int], ...]] = ((0xE000, 0xF8FF),)
# NNBSP U+202F counts as whitespace for str.split(), but it is part of Mongolian
# words, so only ordinary spaces are collapsed.
_MONGOLIAN_SPACES_RE: Final = re.compile("[ \t\r\n\u00a0\u3000]+")


def normalize_mongolian_script(raw: str) -> str:
    """Normalise and check an optional name in traditional Mongolian script.

    Args:
        raw: The text as typed; may be empty (the field is optional).

    Returns:
        The text in NFC with ordinary whitespace collapsed to one space and stripped;
        an empty string for empty input.

    Raises:
        ValidationError: ``field="mongolian_name"`` with code
            ``mongolian.legacy_encoding`` (Private Use Area characters from legacy
            Menksoft-era fonts; param ``char``) or ``mongolian.invalid_char``
            (param ``char``).
    """
    text = _MONGOLIAN_SPACES_RE.sub(" ", unicodedata.normalize("NFC", raw)).strip(" ")
    for char in text:
        if _in_ranges(char, _PUA_RANGE):
            raise ValidationError("mongolian.legacy_encoding", field="mongolian_name", char=char)
    for char in text:
        if char != " " and not _in_ranges(char, _MONGOLIAN_RANGES):
            raise ValidationError("mongolian.invalid_char", field="mongolian_name", char=char)
    return text


# ---------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------

_MOBILE_RE: Final = re.compile(r"1[3-9]\d{9}", re.ASCII)
_LANDLINE_CANONICAL_RE: Final = re.compile(r"(0\d{2,3})-(\d{7,8})(?:-(\d{1,6}))?", re.ASCII)
_EXT_SPLIT_RE: Final = re.compile(r"转|分机|ext\.?", re.IGNORECASE)
_PHONE_CHARS_RE: Final = re.compile(r"[\d\s\-()+]+", re.ASCII)
_DASHES: Final[dict[int, str]] = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"), "-"
)
_EXT_MAX_DIGITS: Final = 6
_EXT_RE: Final = re.compile(r"[0-9]{1,6}")


@dataclass(frozen=True)
class PhoneNumber:
    """A normalised mainland China phone number.

    Attributes:
        kind: ``"mobile"`` or ``"landline"``.
        number: Canonical form: ``13812345678`` for mobiles; ``0471-1234567`` or
            ``0471-1234567-123`` (with extension) for landlines.
    """

    kind: Literal["mobile", "landline"]
    number: str

    @property
    def e164(self) -> str:
        """The number in E.164 form (``+8613812345678``, ``+864711234567``), no extension."""
        if self.kind == "mobile":
            return "+86" + self.number
        area, local = self.number.split("-")[:2]
        return "+86" + area[1:] + local


def _split_landline(digits: str) -> tuple[str, str] | None:
    """Split ``0`` + area code + local number, or None if the local part has a bad length.

    010 and 02x are three-digit area codes; every other area code (Inner Mongolia's
    0470-0479, 0482, 0483 included) has four digits.
    """
    area_len = 3 if digits.startswith(("010", "02")) else 4
    local = digits[area_len:]
    if 7 <= len(local) <= 8:
        return digits[:area_len], local
    return None


def normalize_phone(raw: str) -> PhoneNumber:
    """Normalise a mobile or landline number.

    Accepts spaces, hyphens and other dashes, parentheses, full-width digits, a
    ``+86``/``0086`` prefix (and a bare ``86`` before a mobile), and an extension
    after ``转``/``分机``/``ext`` or after a final hyphen (``0471-1234567-123``).

    Args:
        raw: The number as typed.

    Returns:
        The canonical number.

    Raises:
        ValidationError: ``field="phone"`` with code ``phone.empty``,
            ``phone.length`` (param ``digits``: how many digits were typed),
            ``phone.area_code`` (a local landline number without its area code) or
            ``phone.format``.
    """
    text = unicodedata.normalize("NFKC", raw).translate(_DASHES)
    text = _INVISIBLE_RE.sub("", text).strip()
    if not text:
        raise ValidationError("phone.empty", field="phone")

    parts = _EXT_SPLIT_RE.split(text)
    if len(parts) > 2:
        raise ValidationError("phone.format", field="phone")
    main = parts[0]
    ext = ""
    if len(parts) == 2:
        ext = re.sub(r"[\s\-()]", "", parts[1])
        if not _EXT_RE.fullmatch(ext):
            raise ValidationError("phone.format", field="phone")
    if not main.strip() or not _PHONE_CHARS_RE.fullmatch(main):
        raise ValidationError("phone.format", field="phone")

    compact = re.sub(r"[\s()]", "", main)
    international = False
    if compact.startswith("+"):
        if not re.match(r"\+-?86", compact):
            raise ValidationError("phone.format", field="phone")
        compact = re.sub(r"^\+-?86", "", compact)
        international = True
    elif compact.startswith("0086"):
        compact = compact[4:]
        international = True
    if "+" in compact:
        raise ValidationError("phone.format", field="phone")

    groups = [group for group in compact.split("-") if group]
    digits = "".join(groups)
    if not digits:
        raise ValidationError("phone.format", field="phone")
    if not international and len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
        groups = [digits]
    if international and digits[0] not in "01":
        # "+86 471 1234567": the trunk prefix 0 is dropped in international form.
        digits = "0" + digits
        groups[0] = "0" + groups[0]

    if digits[0] == "1":
        if ext:
            raise ValidationError("phone.format", field="phone")
        if len(digits) != 11:
            raise ValidationError("phone.length", field="phone", digits=len(digits))
        if not _MOBILE_RE.fullmatch(digits):
            raise ValidationError("phone.format", field="phone")
        return PhoneNumber("mobile", digits)

    if digits[0] != "0":
        raise ValidationError("phone.area_code", field="phone")
    if len(digits) < 2 or digits[1] == "0":  # "0" alone, or 00x: a foreign international prefix
        raise ValidationError("phone.format", field="phone")

    split: tuple[str, str] | None = None
    if len(groups) >= 2 and not ext:
        # A final hyphen group that leaves a complete number before it is an extension.
        head = _split_landline("".join(groups[:-1]))
        if head is not None and len(groups[-1]) <= _EXT_MAX_DIGITS:
            split, ext = head, groups[-1]
    if split is None:
        split = _split_landline(digits)
    if split is None:
        raise ValidationError("phone.length", field="phone", digits=len(digits))
    area, local = split
    return PhoneNumber("landline", f"{area}-{local}" + (f"-{ext}" if ext else ""))


# ---------------------------------------------------------------------------
# Codes: USCC, disability certificate, administrative divisions
# ---------------------------------------------------------------------------

#: GB 32100-2015 alphabet: digits and capitals without I, O, S, V, Z.
USCC_ALPHABET: Final[str] = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: GB 32100-2015 weights of the first 17 characters.
USCC_WEIGHTS: Final[tuple[int, ...]] = (
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
)  # fmt: skip


def _uscc_check_char(first17: str) -> str:
    total = sum(
        USCC_ALPHABET.index(char) * weight
        for char, weight in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(raw: str) -> str:
    """Validate a 统一社会信用代码 (unified social credit code, GB 32100-2015).

    Args:
        raw: The code as typed; whitespace is removed, full-width characters mapped
            to ASCII and letters upper-cased.

    Returns:
        The normalised 18-character code.

    Raises:
        ValidationError: ``field="uscc"`` with code ``uscc.format`` (including empty)
            or ``uscc.checksum`` (param ``expected``).
    """
    code = "".join(_INVISIBLE_RE.sub("", _to_halfwidth(raw)).split()).upper()
    if len(code) != 18 or any(char not in USCC_ALPHABET for char in code):
        raise ValidationError("uscc.format", field="uscc")
    expected = _uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError("uscc.checksum", field="uscc", expected=expected)
    return code


_DISABILITY_RE: Final = re.compile(r"(\d{17}[\dX])(\d)(\d)", re.ASCII)
_DISABILITY_FIELD: Final = "disability_cert_no"


def validate_disability_cert(raw: str, id_number: str | None = None) -> tuple[int, int]:
    """Validate a 残疾人证号 (disability certificate number).

    The number is the holder's 18-character ID number, then the category digit
    (1 视力 visual, 2 听力 hearing, 3 言语 speech, 4 肢体 physical, 5 智力 intellectual,
    6 精神 psychosocial, 7 多重 multiple), then the grade digit (1 most severe to
    4 mildest).

    Args:
        raw: The certificate number as typed (normalised like an ID number).
        id_number: The holder's ID number, if known; a 15-digit number is converted
            before the comparison.

    Returns:
        ``(category, grade)``.

    Raises:
        ValidationError: ``field="disability_cert_no"`` with code
            ``disability_cert.format``, ``disability_cert.category``,
            ``disability_cert.grade``, ``disability_cert.checksum`` (the embedded ID's
            check character is wrong; param ``expected``) or
            ``disability_cert.id_mismatch``.
    """
    number = normalize_id_number(raw)
    match = _DISABILITY_RE.fullmatch(number)
    if match is None:
        raise ValidationError("disability_cert.format", field=_DISABILITY_FIELD)
    embedded, category, grade = match.group(1), int(match.group(2)), int(match.group(3))
    if not 1 <= category <= 7:
        raise ValidationError("disability_cert.category", field=_DISABILITY_FIELD)
    if not 1 <= grade <= 4:
        raise ValidationError("disability_cert.grade", field=_DISABILITY_FIELD)
    expected = id_number_check_char(embedded[:17])
    if embedded[17] != expected:
        raise ValidationError(
            "disability_cert.checksum", field=_DISABILITY_FIELD, expected=expected
        )
    if id_number is not None:
        holder = normalize_id_number(id_number)
        if _ID15_RE.fullmatch(holder):
            holder = _upgrade_15(holder)
        if holder != embedded:
            raise ValidationError("disability_cert.id_mismatch", field=_DISABILITY_FIELD)
    return category, grade


def validate_division_code(raw: str) -> str:
    """Validate an administrative division code without looking it up.

    A 6-digit GB/T 2260 county code is padded to the 12-digit 统计用区划代码 form
    (6 county + 3 township + 3 village). Historic and retired codes are fine.

    Args:
        raw: The code as typed (whitespace removed, full-width digits accepted).

    Returns:
        The 12-digit code.

    Raises:
        ValidationError: ``field="division_code"`` with code ``division_code.format``.
    """
    code = "".join(_INVISIBLE_RE.sub("", _to_halfwidth(raw)).split())
    if not (code.isascii() and code.isdigit() and len(code) in (6, 12)):
        raise ValidationError("division_code.format", field="division_code")
    if code[:2] not in PROVINCE_PREFIXES:
        raise ValidationError("division_code.format", field="division_code")
    return code.ljust(12, "0")


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


def check_not_future(d: date, *, today: date, field: str) -> None:
    """Refuse a date after ``today``.

    Raises:
        ValidationError: code ``date.future`` on ``field``.
    """
    if d > today:
        raise ValidationError("date.future", field=field)


def check_date_order(earlier: date, later: date, *, field: str, earlier_field: str) -> None:
    """Refuse ``later`` if it falls before ``earlier`` (the same day is fine).

    Args:
        earlier: The date that must come first (e.g. a case's intake date).
        later: The date being checked (e.g. the closure date).
        field: The field of ``later``, reported as the field at fault.
        earlier_field: The field of ``earlier``, quoted in the message.

    Raises:
        ValidationError: code ``date.order`` (param ``earlier_field``).
    """
    if later < earlier:
        raise ValidationError("date.order", field=field, earlier_field=earlier_field)


def age_on(birth: date, on: date) -> int:
    """Full years of age (周岁) on a day; someone born on 29 February turns a year
    older on 1 March in common years.

    Raises:
        ValidationError: code ``date.order`` (field ``date``, param
            ``earlier_field="birth_date"``) if ``on`` is before ``birth``.
    """
    check_date_order(birth, on, field="date", earlier_field="birth_date")
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# ---------------------------------------------------------------------------
# Volunteer hours (§3.4): integers in tenths of an hour
# ---------------------------------------------------------------------------

_MINUTES_PER_TENTH: Final = 6
_HOURS_FIELD: Final = "hours"


@dataclass(frozen=True)
class HoursRule:
    """How service time becomes credited hours; comes from configuration.

    Attributes:
        unit_tenths: Credited hours are a multiple of this many tenths of an hour
            (5 = half-hour units, 10 = whole hours, 1 = no rounding beyond 6 minutes).
        rounding: ``"down"`` (default), ``"nearest"`` (halves round up) or ``"up"``.
        daily_cap_tenths: Most credited tenths per volunteer per day (80 = 8 h).

    Raises:
        ValueError: If a number is not positive or ``rounding`` is unknown (a
            configuration bug: settings are validated where they are edited).
    """

    unit_tenths: int = 5
    rounding: Literal["down", "nearest", "up"] = "down"
    daily_cap_tenths: int = 80

    def __post_init__(self) -> None:
        if self.unit_tenths <= 0 or self.daily_cap_tenths <= 0:
            raise ValueError("unit_tenths and daily_cap_tenths must be positive")
        if self.rounding not in ("down", "nearest", "up"):
            raise ValueError(f"unknown rounding {self.rounding!r}")


def credit_hours(minutes: int, rule: HoursRule) -> int:
    """Credited hours, in tenths of an hour, for a stretch of actual service time.

    Service time excludes travel. The result may be 0 (e.g. 20 minutes with
    half-hour units rounded down); the daily cap is checked separately by
    :func:`check_daily_cap`.

    Args:
        minutes: Actual service time in whole minutes.
        rule: Rounding unit and mode.

    Returns:
        Credited tenths of an hour, a multiple of ``rule.unit_tenths``.

    Raises:
        ValidationError: code ``hours.not_positive`` (field ``hours``) if
            ``minutes <= 0``.
    """
    if minutes <= 0:
        raise ValidationError("hours.not_positive", field=_HOURS_FIELD)
    unit_minutes = rule.unit_tenths * _MINUTES_PER_TENTH
    if rule.rounding == "down":
        units = minutes // unit_minutes
    elif rule.rounding == "up":
        units = -(-minutes // unit_minutes)
    else:
        # Half a unit or more rounds up; integer arithmetic, no float ties.
        units = (2 * minutes + unit_minutes) // (2 * unit_minutes)
    return units * rule.unit_tenths


def check_daily_cap(new_tenths: int, already_tenths_that_day: int, rule: HoursRule) -> None:
    """Refuse credited hours that would take a volunteer's day over the cap.

    Args:
        new_tenths: Tenths about to be credited.
        already_tenths_that_day: Tenths already credited to the volunteer that day.
        rule: Holds the daily cap.

    Raises:
        ValidationError: field ``hours``, code ``hours.not_positive`` if
            ``new_tenths <= 0`` or ``hours.daily_cap`` (params ``cap_tenths``,
            ``total_tenths``).
    """
    if new_tenths <= 0:
        raise ValidationError("hours.not_positive", field=_HOURS_FIELD)
    total = new_tenths + already_tenths_that_day
    if total > rule.daily_cap_tenths:
        raise ValidationError(
            "hours.daily_cap",
            field=_HOURS_FIELD,
            cap_tenths=rule.daily_cap_tenths,
            total_tenths=total,
        )


_HOURS_TEXT_RE: Final = re.compile(
    r"([+-]?)\s*(\d*)(?:\.(\d*))?\s*(?:小时|h)?", re.IGNORECASE | re.ASCII
)


def parse_hours_text(raw: str) -> int:
    """Read hours typed as text ("2", "2.5", "２．５", "1.5小时") into tenths of an hour.

    Trailing zeros after the first decimal are accepted ("2.50" is 25 tenths); any other
    second decimal is refused rather than silently rounded.

    Args:
        raw: The hours as typed.

    Returns:
        Tenths of an hour, positive.

    Raises:
        ValidationError: field ``hours``, code ``hours.format`` (including empty),
            ``hours.not_positive`` or ``hours.precision`` (param ``max_decimals=1``).
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    match = _HOURS_TEXT_RE.fullmatch(text)
    if match is None:
        raise ValidationError("hours.format", field=_HOURS_FIELD)
    sign, whole, fraction = match.group(1), match.group(2), match.group(3) or ""
    if not (whole or fraction):
        raise ValidationError("hours.format", field=_HOURS_FIELD)
    if sign == "-" and (whole + fraction).strip("0"):
        raise ValidationError("hours.not_positive", field=_HOURS_FIELD)
    if fraction[1:].strip("0"):
        raise ValidationError("hours.precision", field=_HOURS_FIELD, max_decimals=1)
    tenths = int(whole or "0") * 10 + int(fraction[:1] or "0")
    if tenths <= 0:
        raise ValidationError("hours.not_positive", field=_HOURS_FIELD)
    return tenths


# ---------------------------------------------------------------------------
# Masking for screens, exports and printouts
# ---------------------------------------------------------------------------


@overload
def mask_id_number(number: str) -> str: ...
@overload
def mask_id_number(number: None) -> None: ...
def mask_id_number(number: str | None) -> str | None:
    """Mask an ID number, keeping the first 6 and last 4 characters.

    ``150102199001011234`` becomes ``150102********1234``; the length is preserved.
    Values shorter than 10 characters (and None) are returned unchanged.
    """
    if number is None or len(number) < 10:
        return number
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def _mask_middle(text: str, keep_start: int, keep_end: int) -> str:
    """Replace all but the first ``keep_start`` and last ``keep_end`` characters."""
    return (
        text[:keep_start] + "*" * (len(text) - keep_start - keep_end) + text[len(text) - keep_end :]
    )


@overload
def mask_phone(number: str) -> str: ...
@overload
def mask_phone(number: None) -> None: ...
def mask_phone(number: str | None) -> str | None:
    """Mask a phone number for display; never raises and preserves the length.

    Canonical mobiles keep the first 3 and last 4 digits (``138****5678``); canonical
    landlines keep the area code and the last 4 digits of the local number, and the
    extension is masked (``0471-***4567-***``). Anything else keeps its first 3 and last
    4 digits with the other digits masked; text with fewer than 8 digits (and None) is
    returned unchanged.
    """
    if number is None:
        return None
    if _MOBILE_RE.fullmatch(number):
        return _mask_middle(number, 3, 4)
    landline = _LANDLINE_CANONICAL_RE.fullmatch(number)
    if landline is not None:
        area, local, ext = landline.groups()
        masked = f"{area}-{_mask_middle(local, 0, 4)}"
        return masked + (f"-{'*' * len(ext)}" if ext else "")
    digit_positions = [i for i, char in enumerate(number) if char.isdigit()]
    if len(digit_positions) < 8:
        return number
    hidden = set(digit_positions[3:-4])
    return "".join("*" if i in hidden else char for i, char in enumerate(number))


@dataclass(frozen=True)
class Identity:
    """A resident ID number reconciled with the birth date and sex typed beside it.

    The ID number's birth date wins; a typed sex that disagrees is kept (data errors
    exist; the user confirms). Each disagreement is a warning, never an error.
    """

    id_number: str
    birth_date: date
    sex: Sex
    warnings: tuple[ValidationError, ...]


def identity_from_id(raw: str, birth_date: date | None, sex: Sex | None, *, today: date | None = None) -> Identity:
    """Parse a resident ID number and reconcile the typed birth date and sex with it.

    Warnings: ``id_number.birth_date_differs`` (field ``birth_date``) and
    ``id_number.sex_mismatch`` (field ``sex``).

    Raises:
        ValidationError: any ``id_number.*`` error of :func:`parse_id_number`.
    """
    info = parse_id_number(raw, today=today)
    warnings: list[ValidationError] = []
    if birth_date is not None and birth_date != info.birth_date:
        warnings.append(ValidationError("id_number.birth_date_differs", field="birth_date"))
    if sex is not None and not sex_matches_id(sex, info):
        warnings.append(ValidationError("id_number.sex_mismatch", field="sex"))
    return Identity(info.number, info.birth_date, sex or info.sex, tuple(warnings))
