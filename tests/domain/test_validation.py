"""Tests of wushe_desktop.domain.validation: examples for every error code, plus properties."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wushe_desktop.domain.enums import Sex
from wushe_desktop.domain.validation import (
    NAME_MAX_LENGTH,
    PROVINCE_PREFIXES,
    USCC_ALPHABET,
    HoursRule,
    IdNumberInfo,
    PhoneNumber,
    age_on,
    check_daily_cap,
    check_date_order,
    check_not_future,
    credit_hours,
    id_number_check_char,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    normalize_mongolian_script,
    normalize_name,
    normalize_phone,
    parse_hours_text,
    parse_id_number,
    sex_matches_id,
    validate_disability_cert,
    validate_division_code,
    validate_uscc,
)
from wushe_desktop.errors import ValidationError

TODAY = date(2025, 6, 15)

# No example database in the source tree, and no flaky deadlines on a loaded CI box.
fast = settings(database=None, deadline=None)


def make_id(prefix6: str, birth: date, seq: int) -> str:
    """A valid 18-character ID number built with the module's own check character."""
    first17 = f"{prefix6}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_number_check_char(first17)


@contextmanager
def raises_code(code: str, field: str | None = None) -> Iterator[None]:
    """Like ``pytest.raises(ValidationError)``, also checking the code (and field)."""
    with pytest.raises(ValidationError) as info:
        yield
    assert info.value.code == code, info.value.describe()
    if field is not None:
        assert info.value.field == field


def error_of(func: object, *args: object, **kwargs: object) -> ValidationError:
    """Call ``func`` and return the ValidationError it raises (fail if it does not)."""
    assert callable(func)
    with pytest.raises(ValidationError) as info:
        func(*args, **kwargs)
    return info.value


# ---------------------------------------------------------------------------
# ID numbers: examples
# ---------------------------------------------------------------------------


class TestIdNumberExamples:
    def test_reference_number_is_valid(self) -> None:
        info = parse_id_number("11010519491231002X", today=TODAY)
        assert info == IdNumberInfo(
            number="11010519491231002X",
            birth_date=date(1949, 12, 31),
            sex=Sex.FEMALE,
            region_code="110105",
            converted_from_15=False,
        )

    def test_check_char_of_reference_number(self) -> None:
        assert id_number_check_char("11010519491231002") == "X"

    @pytest.mark.parametrize(
        "bad", ["1101051949123100", "1101051949123100２X", "abcdefghijklmnopq"]
    )
    def test_check_char_rejects_non_digits(self, bad: str) -> None:
        with pytest.raises(ValueError):
            id_number_check_char(bad)

    @pytest.mark.parametrize(
        "raw",
        [
            "11010519491231002x",
            " 110105 19491231 002X ",
            "１１０１０５１９４９１２３１００２ｘ",
            "\ufeff110105\u300019491231002X\u200b",
        ],
    )
    def test_normalisation_variants(self, raw: str) -> None:
        assert parse_id_number(raw, today=TODAY).number == "11010519491231002X"

    def test_normalize_does_not_validate(self) -> None:
        assert normalize_id_number(" ａｂｃ x ") == "abcX"

    @pytest.mark.parametrize(
        "prefix",
        ["150121", "150102", "152921", "152101", "152301", "152401", "152601", "152701", "152801"],
    )
    def test_inner_mongolia_and_historical_county_codes(self, prefix: str) -> None:
        number = make_id(prefix, date(1975, 3, 8), 41)
        info = parse_id_number(number, today=TODAY)
        assert info.region_code == prefix
        assert info.birth_date == date(1975, 3, 8)

    def test_unknown_county_code_in_known_province_is_accepted(self) -> None:
        number = make_id("159999", date(1990, 1, 1), 1)
        assert parse_id_number(number, today=TODAY).region_code == "159999"

    @pytest.mark.parametrize("prefix", ["710000", "810000", "820000", "830000"])
    def test_hk_macau_taiwan_prefixes(self, prefix: str) -> None:
        parse_id_number(make_id(prefix, date(2001, 7, 1), 2), today=TODAY)

    def test_sex_from_digit_17(self) -> None:
        male = parse_id_number(make_id("150121", date(1980, 5, 5), 11), today=TODAY)
        female = parse_id_number(make_id("150121", date(1980, 5, 5), 12), today=TODAY)
        assert male.sex is Sex.MALE
        assert female.sex is Sex.FEMALE
        assert sex_matches_id(Sex.MALE, male)
        assert not sex_matches_id(Sex.FEMALE, male)
        assert sex_matches_id(Sex.FEMALE, female)

    def test_lowercase_x_check_char(self) -> None:
        # Find a sequence number whose check character is X, then type it in lower case.
        number = next(
            n for seq in range(1000) if (n := make_id("150121", date(1988, 8, 8), seq))[-1] == "X"
        )
        assert parse_id_number(number.lower(), today=TODAY).number == number

    def test_born_today_is_fine_and_default_today_works(self) -> None:
        parse_id_number(make_id("150121", TODAY, 1), today=TODAY)
        parse_id_number(make_id("150121", date(2000, 1, 1), 1))

    def test_earliest_accepted_year(self) -> None:
        parse_id_number(make_id("150121", date(1890, 1, 1), 1), today=TODAY)


class TestIdNumberFifteenDigits:
    def test_conversion(self) -> None:
        info = parse_id_number("150121900101123", today=TODAY)
        assert info.number == make_id("150121", date(1990, 1, 1), 123)
        assert info.converted_from_15
        assert info.birth_date == date(1990, 1, 1)
        assert info.sex is Sex.MALE
        assert info.region_code == "150121"

    def test_conversion_with_spaces(self) -> None:
        assert parse_id_number("152301 491231 002", today=TODAY).number == make_id(
            "152301", date(1949, 12, 31), 2
        )

    @pytest.mark.parametrize("raw", ["150121901301123", "150121900230123", "150121000000123"])
    def test_unreal_date_refused(self, raw: str) -> None:
        with raises_code("id_number.fifteen_digit_invalid", "id_number"):
            parse_id_number(raw, today=TODAY)

    def test_bad_province_in_fifteen(self) -> None:
        with raises_code("id_number.province"):
            parse_id_number("990121900101123", today=TODAY)


class TestIdNumberErrors:
    @pytest.mark.parametrize("raw", ["", "   ", "\u3000"])
    def test_empty(self, raw: str) -> None:
        with raises_code("id_number.empty", "id_number"):
            parse_id_number(raw, today=TODAY)

    @pytest.mark.parametrize(
        "raw",
        [
            "1101051949123100",  # 16
            "1101051949123100211",  # 19
            "11010519491231002Y",
            "X1010519491231002X",
            "110105-19491231-002X",
            "11010519491231002٣",  # Arabic-Indic digit
            "15012190010112X",  # 15 with X
        ],
    )
    def test_format(self, raw: str) -> None:
        with raises_code("id_number.format", "id_number"):
            parse_id_number(raw, today=TODAY)

    def test_checksum_reports_expected_char(self) -> None:
        error = error_of(parse_id_number, "110105194912310021", today=TODAY)
        assert error.code == "id_number.checksum"
        assert error.field == "id_number"
        assert error.params == {"expected": "X"}

    @pytest.mark.parametrize("birth", ["19491331", "19490229", "19490000", "18891231"])
    def test_birth_date(self, birth: str) -> None:
        first17 = f"150121{birth}002"
        with raises_code("id_number.birth_date", "id_number"):
            parse_id_number(first17 + id_number_check_char(first17), today=TODAY)

    def test_future_birth(self) -> None:
        with raises_code("id_number.future_birth", "id_number"):
            parse_id_number(make_id("150121", date(2025, 6, 16), 1), today=TODAY)

    @pytest.mark.parametrize(
        "prefix", ["000000", "100000", "160000", "240000", "470000", "700000", "840000", "910000"]
    )
    def test_province(self, prefix: str) -> None:
        error = error_of(parse_id_number, make_id(prefix, date(1990, 1, 1), 1), today=TODAY)
        assert error.code == "id_number.province"
        assert error.params == {"prefix": prefix[:2]}

    @pytest.mark.parametrize(
        "raw",
        [
            "1.50121E+17",
            "1.50121e17",
            "1.50121199001011E+17",
            "150121199001011234.0",
            "1.5E17",
            "15012119900101123.00",
        ],
    )
    def test_excel_number(self, raw: str) -> None:
        with raises_code("id_number.excel_number", "id_number"):
            parse_id_number(raw, today=TODAY)


# ---------------------------------------------------------------------------
# ID numbers: properties
# ---------------------------------------------------------------------------

valid_id_parts = st.tuples(
    st.sampled_from(sorted(PROVINCE_PREFIXES)),
    st.integers(min_value=0, max_value=9999),
    st.dates(min_value=date(1890, 1, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=999),
)


@fast
@given(valid_id_parts)
def test_any_valid_id_parses_and_round_trips(parts: tuple[str, int, date, int]) -> None:
    province, county, birth, seq = parts
    number = make_id(f"{province}{county:04d}", birth, seq)
    info = parse_id_number(number, today=TODAY)
    assert info.number == number
    assert info.birth_date == birth
    assert info.region_code == number[:6]
    assert info.sex is (Sex.MALE if seq % 2 else Sex.FEMALE)
    assert not info.converted_from_15
    assert parse_id_number(info.number.lower(), today=TODAY) == info


@fast
@given(
    valid_id_parts, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10)
)
def test_any_single_character_change_is_refused(
    parts: tuple[str, int, date, int], position: int, shift: int
) -> None:
    province, county, birth, seq = parts
    number = make_id(f"{province}{county:04d}", birth, seq)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = alphabet[(alphabet.index(number[position]) + shift) % len(alphabet)]
    if replacement == number[position]:  # shift == len(alphabet) on the digits
        replacement = alphabet[(alphabet.index(number[position]) + 1) % len(alphabet)]
    changed = number[:position] + replacement + number[position + 1 :]
    error = error_of(parse_id_number, changed, today=TODAY)
    assert error.code.startswith("id_number.")


@fast
@given(
    st.sampled_from(sorted(p for p in PROVINCE_PREFIXES)),
    st.integers(min_value=0, max_value=9999),
    st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
    st.integers(min_value=0, max_value=999),
)
def test_fifteen_digit_conversion_property(
    province: str, county: int, birth: date, seq: int
) -> None:
    fifteen = f"{province}{county:04d}{birth:%y%m%d}{seq:03d}"
    info = parse_id_number(fifteen, today=TODAY)
    assert info.converted_from_15
    assert info.number == make_id(f"{province}{county:04d}", birth, seq)


@fast
@given(st.text(max_size=30))
def test_mask_id_preserves_length_of_any_text(text: str) -> None:
    assert len(mask_id_number(text)) == len(text)


@fast
@given(valid_id_parts)
def test_mask_id_keeps_first6_last4(parts: tuple[str, int, date, int]) -> None:
    province, county, birth, seq = parts
    number = make_id(f"{province}{county:04d}", birth, seq)
    masked = mask_id_number(number)
    assert len(masked) == 18
    assert masked[:6] == number[:6]
    assert masked[-4:] == number[-4:]
    assert masked[6:14] == "*" * 8


def test_mask_id_examples() -> None:
    assert mask_id_number("15010219900101123X") == "150102********123X"
    assert mask_id_number("150121900101123") == "150121*****1123"
    assert mask_id_number("123456789") == "123456789"
    assert mask_id_number("") == ""
    assert mask_id_number(None) is None


# ---------------------------------------------------------------------------
# Names and Mongolian script
# ---------------------------------------------------------------------------

LOOKALIKE_DOTS = [
    "\u2022",
    "\u30fb",
    "\uff65",
    "\uff0e",
    ".",
    "\u2027",
    "\u22c5",
    "\u00b7",
    "\u0387",
    "\u2219",
]


class TestNames:
    @pytest.mark.parametrize(
        "name", ["乌云·巴图", "额尔德木图", "乌云毕力格", "张三", "𣵦", "王〇", "㐀㐁"]
    )
    def test_valid_names_unchanged(self, name: str) -> None:
        assert normalize_name(name) == name

    @pytest.mark.parametrize("dot", LOOKALIKE_DOTS)
    def test_every_lookalike_dot(self, dot: str) -> None:
        assert normalize_name(f"乌云{dot}巴图") == "乌云·巴图"
        assert normalize_name(f" 乌云 {dot}  巴图 ") == "乌云·巴图"

    def test_spaces(self) -> None:
        assert normalize_name("  额尔德木图\u3000") == "额尔德木图"
        assert normalize_name("张\t \u3000三") == "张 三"
        assert normalize_name("阿 · 巴 · 图") == "阿·巴·图"

    def test_nfc_and_invisible_characters(self) -> None:
        assert normalize_name("\ufeff乌云\u200b巴图") == "乌云巴图"
        # A compatibility ideograph that NFC maps to its unified form (U+F900 -> U+8C48).
        assert normalize_name("\uf900") == "\u8c48"

    def test_supplementary_plane_counts_as_one(self) -> None:
        name = "𣵦" * NAME_MAX_LENGTH
        assert normalize_name(name) == name

    def test_fifty_code_points_with_separators(self) -> None:
        name = "·".join(["阿拉坦", "其其格", "乌云毕力格", "额尔德木图", "巴特尔"])
        name = name + "·" + "图" * (NAME_MAX_LENGTH - len(name) - 1)
        assert len(name) == 50
        assert normalize_name(name) == name

    def test_fifty_one_code_points(self) -> None:
        error = error_of(normalize_name, "𣵦" * 51)
        assert (error.code, error.field) == ("name.too_long", "name")
        assert error.params == {"max": 50, "length": 51}

    def test_ideographic_variation_selector_after_han(self) -> None:
        assert normalize_name("葛\U000e0100") == "葛\U000e0100"
        with raises_code("name.invalid_char"):
            normalize_name("\U000e0100葛")

    @pytest.mark.parametrize("raw", ["", "   ", "\u3000", "\u200b"])
    def test_empty(self, raw: str) -> None:
        with raises_code("name.empty", "name"):
            normalize_name(raw)

    @pytest.mark.parametrize(
        ("raw", "char"),
        [
            ("Tom", "T"),
            ("张3", "3"),
            ("张😀", "😀"),
            ("乌云●巴图", "●"),
            ("张Ａ", "Ａ"),
            ("张-三", "-"),
            ("ᠮᠣᠩᠭᠣᠯ", "ᠮ"),
            ("张\ue000", "\ue000"),
        ],
    )
    def test_invalid_char(self, raw: str, char: str) -> None:
        error = error_of(normalize_name, raw)
        assert (error.code, error.field, error.params) == (
            "name.invalid_char",
            "name",
            {"char": char},
        )

    @pytest.mark.parametrize(
        "raw", ["·乌云", "乌云·", "乌云··巴图", "乌云·•巴图", "·", "乌云 . . 巴图"]
    )
    def test_bad_separator(self, raw: str) -> None:
        with raises_code("name.bad_separator", "name"):
            normalize_name(raw)


name_chars = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),
    st.sampled_from([*LOOKALIKE_DOTS, " ", "\u3000", "\t", "A", "1", "\ufeff"]),
)


@fast
@given(st.one_of(st.text(name_chars, max_size=60), st.text(max_size=20)))
def test_normalize_name_is_idempotent(raw: str) -> None:
    try:
        once = normalize_name(raw)
    except ValidationError as error:
        assert error.code.startswith("name.")
        return
    assert normalize_name(once) == once
    assert 0 < len(once) <= NAME_MAX_LENGTH


class TestMongolianScript:
    def test_valid_with_nnbsp_and_fvs(self) -> None:
        text = " ᠮᠣᠩᠭᠣᠯ\u202fᠤᠨ  ᠪᠢᠴᠢ\u180bᠭ "
        assert normalize_mongolian_script(text) == "ᠮᠣᠩᠭᠣᠯ\u202fᠤᠨ ᠪᠢᠴᠢ\u180bᠭ"

    def test_supplement_and_joiners(self) -> None:
        assert normalize_mongolian_script("\U00011660\u200dᠠ\u200c") == "\U00011660\u200dᠠ\u200c"

    def test_empty_is_allowed(self) -> None:
        assert normalize_mongolian_script("  ") == ""

    @pytest.mark.parametrize(("raw", "char"), [("abc", "a"), ("ᠮᠣᠩ乌", "乌"), ("ᠮ1", "1")])
    def test_invalid_char(self, raw: str, char: str) -> None:
        error = error_of(normalize_mongolian_script, raw)
        assert (error.code, error.params) == ("mongolian.invalid_char", {"char": char})

    @pytest.mark.parametrize("raw", ["\ue234\ue235", "ᠮ\uf8ff", "a\ue000"])
    def test_legacy_private_use_encoding(self, raw: str) -> None:
        with raises_code("mongolian.legacy_encoding"):
            normalize_mongolian_script(raw)


# ---------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------


class TestPhones:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("13812345678", PhoneNumber("mobile", "13812345678")),
            ("+86 138 1234 5678", PhoneNumber("mobile", "13812345678")),
            ("0086-138-1234-5678", PhoneNumber("mobile", "13812345678")),
            ("8613812345678", PhoneNumber("mobile", "13812345678")),
            ("１３８ １２３４ ５６７８", PhoneNumber("mobile", "13812345678")),
            ("(+86) 19912345678", PhoneNumber("mobile", "19912345678")),
            ("0471-1234567", PhoneNumber("landline", "0471-1234567")),
            ("04711234567", PhoneNumber("landline", "0471-1234567")),
            ("(0471) 1234567", PhoneNumber("landline", "0471-1234567")),
            ("０４７１－１２３４５６７", PhoneNumber("landline", "0471-1234567")),
            ("0471 1234567 转 8001", PhoneNumber("landline", "0471-1234567-8001")),
            ("0471-1234567分机12", PhoneNumber("landline", "0471-1234567-12")),
            ("0471-1234567-123", PhoneNumber("landline", "0471-1234567-123")),
            ("0483-12345678", PhoneNumber("landline", "0483-12345678")),
            ("0482 8123456", PhoneNumber("landline", "0482-8123456")),
            ("010-12345678", PhoneNumber("landline", "010-12345678")),
            ("010-8888-6666", PhoneNumber("landline", "010-88886666")),
            ("02112345678", PhoneNumber("landline", "021-12345678")),
            ("+86 471 1234567", PhoneNumber("landline", "0471-1234567")),
            ("0471\u20141234567", PhoneNumber("landline", "0471-1234567")),
        ],
    )
    def test_valid(self, raw: str, expected: PhoneNumber) -> None:
        assert normalize_phone(raw) == expected

    def test_e164(self) -> None:
        assert normalize_phone("13812345678").e164 == "+8613812345678"
        assert normalize_phone("0471-1234567-123").e164 == "+864711234567"

    @pytest.mark.parametrize("raw", ["", "  ", "\u3000"])
    def test_empty(self, raw: str) -> None:
        with raises_code("phone.empty", "phone"):
            normalize_phone(raw)

    @pytest.mark.parametrize(
        ("raw", "digits"),
        [
            ("1381234567", 10),
            ("138123456789", 12),
            ("+86 138 1234 567", 10),
            ("0471-123456", 10),
            ("0471-123456789", 13),
        ],
    )
    def test_length(self, raw: str, digits: int) -> None:
        error = error_of(normalize_phone, raw)
        assert (error.code, error.field, error.params) == (
            "phone.length",
            "phone",
            {"digits": digits},
        )

    @pytest.mark.parametrize(
        "raw",
        [
            "12812345678",  # 12x is not a mobile prefix
            "138-1234-5678 转 12",  # mobiles have no extension
            "0471-1234567 转 1234567",  # extension too long
            "0471-1234567 转",
            "0471-1234567 转 1 转 2",
            "+1 202 555 0100",
            "001 202 555 0100",
            "tel 13812345678",
            "138.1234.5678",
            "()",
            "138+12345678",
        ],
    )
    def test_format(self, raw: str) -> None:
        with raises_code("phone.format", "phone"):
            normalize_phone(raw)

    @pytest.mark.parametrize("raw", ["6123456", "81234567"])
    def test_missing_area_code(self, raw: str) -> None:
        with raises_code("phone.area_code", "phone"):
            normalize_phone(raw)

    def test_mask(self) -> None:
        assert mask_phone("13812345678") == "138****5678"
        assert mask_phone("0471-1234567") == "0471-***4567"
        assert mask_phone("010-12345678-12") == "010-****5678-**"
        assert mask_phone("+86 138 1234 5678") == "+86 1** **** 5678"
        assert mask_phone("123") == "123"
        assert mask_phone(None) is None


@fast
@given(
    st.sampled_from("3456789"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.sampled_from(["{}", "+86 {}", "0086{}", "86{}", "{:.3} {}"]),
)
def test_mobile_round_trip(second: str, rest: str, layout: str) -> None:
    number = "1" + second + rest
    raw = layout.format(number[:3], number[3:]) if layout.count("{") == 2 else layout.format(number)
    parsed = normalize_phone(raw)
    assert parsed == PhoneNumber("mobile", number)
    assert normalize_phone(parsed.number) == parsed
    masked = mask_phone(parsed.number)
    assert len(masked) == 11
    assert masked[:3] + masked[-4:] == number[:3] + number[-4:]


@fast
@given(st.text(max_size=25))
def test_phone_functions_only_raise_validation_errors(raw: str) -> None:
    try:
        parsed = normalize_phone(raw)
    except ValidationError as error:
        assert error.code.startswith("phone.")
    else:
        assert normalize_phone(parsed.number) == parsed
    assert len(mask_phone(raw)) == len(raw)


# ---------------------------------------------------------------------------
# USCC, disability certificate, division codes
# ---------------------------------------------------------------------------


def make_uscc(first17: str) -> str:
    """A valid USCC: append the one check character validate_uscc accepts."""
    for char in USCC_ALPHABET:
        try:
            return validate_uscc(first17 + char)
        except ValidationError:
            continue
    raise AssertionError("no check character found")


class TestUscc:
    def test_reference_example(self) -> None:
        assert validate_uscc("91110000600037341L") == "91110000600037341L"

    def test_normalisation(self) -> None:
        assert validate_uscc(" 9111 0000 6000 3734 1l ") == "91110000600037341L"
        assert validate_uscc("９１１１００００６０００３７３４１Ｌ") == "91110000600037341L"

    def test_built_examples(self) -> None:
        assert make_uscc("91150100MA0N12345")[:17] == "91150100MA0N12345"
        assert make_uscc("52152500MJY00001K")[:17] == "52152500MJY00001K"

    def test_checksum(self) -> None:
        error = error_of(validate_uscc, "91110000600037341M")
        assert (error.code, error.field, error.params) == (
            "uscc.checksum",
            "uscc",
            {"expected": "L"},
        )

    @pytest.mark.parametrize(
        "raw",
        [
            "",
            "91110000600037341",
            "91110000600037341LL",
            "9111000060003734IL",
            "91110000600037341O",
            "9111000060003734-L",
        ],
    )
    def test_format(self, raw: str) -> None:
        with raises_code("uscc.format", "uscc"):
            validate_uscc(raw)


@fast
@given(
    st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17),
    st.integers(min_value=0, max_value=17),
    st.integers(min_value=1, max_value=30),
)
def test_uscc_single_change_is_refused(first17: str, position: int, shift: int) -> None:
    code = make_uscc(first17)
    assert validate_uscc(code.lower()) == code
    changed_char = USCC_ALPHABET[(USCC_ALPHABET.index(code[position]) + shift) % 31]
    changed = code[:position] + changed_char + code[position + 1 :]
    with raises_code("uscc.checksum"):
        validate_uscc(changed)


class TestDisabilityCert:
    holder = make_id("150121", date(1960, 4, 4), 15)

    def test_valid(self) -> None:
        assert validate_disability_cert(self.holder + "42") == (4, 2)
        assert validate_disability_cert(self.holder + "71", self.holder) == (7, 1)
        assert validate_disability_cert(
            " " + self.holder.lower() + " 1 4 ", self.holder.lower()
        ) == (1, 4)

    def test_holder_with_fifteen_digit_number(self) -> None:
        assert validate_disability_cert(self.holder + "11", "150121600404015") == (1, 1)

    @pytest.mark.parametrize("tail", ["", "4", "423", "4X", "X4"])
    def test_format(self, tail: str) -> None:
        with raises_code("disability_cert.format", "disability_cert_no"):
            validate_disability_cert(self.holder + tail)

    def test_format_bad_id_part(self) -> None:
        with raises_code("disability_cert.format"):
            validate_disability_cert("1501X1196004040151" + "42")

    @pytest.mark.parametrize("category", ["0", "8", "9"])
    def test_category(self, category: str) -> None:
        with raises_code("disability_cert.category", "disability_cert_no"):
            validate_disability_cert(self.holder + category + "1")

    @pytest.mark.parametrize("grade", ["0", "5", "9"])
    def test_grade(self, grade: str) -> None:
        with raises_code("disability_cert.grade", "disability_cert_no"):
            validate_disability_cert(self.holder + "1" + grade)

    def test_embedded_check_char(self) -> None:
        wrong = self.holder[:17] + ("0" if self.holder[17] != "0" else "1")
        error = error_of(validate_disability_cert, wrong + "11")
        assert error.code == "disability_cert.checksum"
        assert error.params == {"expected": self.holder[17]}

    def test_id_mismatch(self) -> None:
        other = make_id("150121", date(1960, 4, 4), 17)
        with raises_code("disability_cert.id_mismatch", "disability_cert_no"):
            validate_disability_cert(self.holder + "11", other)


class TestDivisionCode:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("150525", "150525000000"),
            ("150525204200", "150525204200"),
            (" 152301 ", "152301000000"),  # 哲里木盟, retired 1999: still fine
            ("１５２９２１", "152921000000"),
            ("810000", "810000000000"),
        ],
    )
    def test_valid(self, raw: str, expected: str) -> None:
        assert validate_division_code(raw) == expected

    @pytest.mark.parametrize(
        "raw",
        ["", "15052", "1505252042", "1505252042001", "990525", "000000000000", "15O525", "١٥٠٥٢٥"],
    )
    def test_format(self, raw: str) -> None:
        with raises_code("division_code.format", "division_code"):
            validate_division_code(raw)


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


class TestDates:
    def test_not_future(self) -> None:
        check_not_future(TODAY, today=TODAY, field="service_date")
        error = error_of(check_not_future, date(2025, 6, 16), today=TODAY, field="service_date")
        assert (error.code, error.field) == ("date.future", "service_date")

    def test_order(self) -> None:
        check_date_order(TODAY, TODAY, field="closed_on", earlier_field="opened_on")
        check_date_order(date(2025, 1, 1), TODAY, field="closed_on", earlier_field="opened_on")
        error = error_of(
            check_date_order, TODAY, date(2025, 6, 14), field="closed_on", earlier_field="opened_on"
        )
        assert (error.code, error.field, error.params) == (
            "date.order",
            "closed_on",
            {"earlier_field": "opened_on"},
        )

    @pytest.mark.parametrize(
        ("birth", "on", "age"),
        [
            (date(1949, 12, 31), date(2025, 6, 15), 75),
            (date(1949, 12, 31), date(2024, 12, 31), 75),
            (date(1949, 12, 31), date(2024, 12, 30), 74),
            (date(2000, 2, 29), date(2001, 2, 28), 0),
            (date(2000, 2, 29), date(2001, 3, 1), 1),
            (date(2000, 2, 29), date(2004, 2, 29), 4),
            (TODAY, TODAY, 0),
        ],
    )
    def test_age_on(self, birth: date, on: date, age: int) -> None:
        assert age_on(birth, on) == age

    def test_age_before_birth(self) -> None:
        with raises_code("date.order"):
            age_on(TODAY, date(2025, 6, 14))


@fast
@given(st.dates(max_value=date(2100, 1, 1)), st.integers(min_value=0, max_value=40000))
def test_age_matches_birthday_count(birth: date, days: int) -> None:
    on = date.fromordinal(birth.toordinal() + days)

    def birthday(year: int) -> date:
        try:
            return birth.replace(year=year)
        except ValueError:  # 29 February in a common year: the day after 28 February
            return date(year, 3, 1)

    expected = sum(1 for year in range(birth.year + 1, on.year + 1) if birthday(year) <= on)
    assert age_on(birth, on) == expected


# ---------------------------------------------------------------------------
# Hours
# ---------------------------------------------------------------------------


class TestHours:
    @pytest.mark.parametrize(
        ("minutes", "down", "nearest", "up"),
        [
            (1, 0, 0, 5),
            (14, 0, 0, 5),
            (15, 0, 5, 5),
            (29, 0, 5, 5),
            (30, 5, 5, 5),
            (44, 5, 5, 10),
            (45, 5, 10, 10),
            (60, 10, 10, 10),
            (150, 25, 25, 25),
            (480, 80, 80, 80),
        ],
    )
    def test_half_hour_units(self, minutes: int, down: int, nearest: int, up: int) -> None:
        assert credit_hours(minutes, HoursRule()) == down
        assert credit_hours(minutes, HoursRule(rounding="nearest")) == nearest
        assert credit_hours(minutes, HoursRule(rounding="up")) == up

    def test_other_units(self) -> None:
        assert credit_hours(100, HoursRule(unit_tenths=1)) == 16
        assert credit_hours(100, HoursRule(unit_tenths=1, rounding="nearest")) == 17
        assert credit_hours(89, HoursRule(unit_tenths=10)) == 10
        assert credit_hours(89, HoursRule(unit_tenths=10, rounding="nearest")) == 10
        assert credit_hours(90, HoursRule(unit_tenths=10, rounding="nearest")) == 20

    @pytest.mark.parametrize("minutes", [0, -30])
    def test_not_positive_minutes(self, minutes: int) -> None:
        with raises_code("hours.not_positive", "hours"):
            credit_hours(minutes, HoursRule())

    def test_bad_rule_is_a_bug(self) -> None:
        with pytest.raises(ValueError):
            HoursRule(unit_tenths=0)
        with pytest.raises(ValueError):
            HoursRule(daily_cap_tenths=-1)
        with pytest.raises(ValueError):
            HoursRule(rounding="sideways")  # type: ignore[arg-type]

    def test_daily_cap(self) -> None:
        rule = HoursRule()
        check_daily_cap(30, 50, rule)
        error = error_of(check_daily_cap, 35, 50, rule)
        assert (error.code, error.field, error.params) == (
            "hours.daily_cap",
            "hours",
            {"cap_tenths": 80, "total_tenths": 85},
        )
        check_daily_cap(100, 0, HoursRule(daily_cap_tenths=120))

    @pytest.mark.parametrize("new", [0, -5])
    def test_daily_cap_not_positive(self, new: int) -> None:
        with raises_code("hours.not_positive", "hours"):
            check_daily_cap(new, 0, HoursRule())

    @pytest.mark.parametrize(
        ("raw", "tenths"),
        [
            ("2", 20),
            ("2.5", 25),
            ("２.５", 25),
            ("２．５", 25),
            (" 0.5 ", 5),
            (".5", 5),
            ("3.", 30),
            ("1.50", 15),
            ("+1", 10),
            ("1.5小时", 15),
            ("2 h", 20),
            ("12", 120),
        ],
    )
    def test_parse_hours_text(self, raw: str, tenths: int) -> None:
        assert parse_hours_text(raw) == tenths

    @pytest.mark.parametrize("raw", ["1.25", "0.05", "2.55"])
    def test_parse_precision(self, raw: str) -> None:
        error = error_of(parse_hours_text, raw)
        assert (error.code, error.field) == ("hours.precision", "hours")

    @pytest.mark.parametrize("raw", ["0", "0.0", "-1", "-0.5", "-1.25", "+0"])
    def test_parse_not_positive(self, raw: str) -> None:
        with raises_code("hours.not_positive", "hours"):
            parse_hours_text(raw)

    @pytest.mark.parametrize(
        "raw", ["", " ", "abc", "2..5", "2,5", "1/2", "两小时", ".", "1e2", "٢"]
    )
    def test_parse_format(self, raw: str) -> None:
        with raises_code("hours.format", "hours"):
            parse_hours_text(raw)


@fast
@given(
    st.integers(min_value=1, max_value=24 * 60),
    st.sampled_from([1, 2, 5, 10]),
    st.sampled_from(["down", "nearest", "up"]),
)
def test_credit_hours_properties(minutes: int, unit: int, rounding: str) -> None:
    rule = HoursRule(unit_tenths=unit, rounding=rounding)  # type: ignore[arg-type]
    tenths = credit_hours(minutes, rule)
    assert isinstance(tenths, int)
    assert tenths % unit == 0
    exact_sixths = minutes  # minutes == tenths * 6 exactly
    if rounding == "down":
        assert tenths * 6 <= exact_sixths < (tenths + unit) * 6
    elif rounding == "up":
        assert (tenths - unit) * 6 < exact_sixths <= tenths * 6
    else:
        assert abs(tenths * 6 - exact_sixths) * 2 <= unit * 6


@fast
@given(st.integers(min_value=1, max_value=10_000))
def test_parse_hours_round_trip(tenths: int) -> None:
    assert parse_hours_text(f"{tenths // 10}.{tenths % 10}") == tenths
    if tenths % 10 == 0:
        assert parse_hours_text(str(tenths // 10)) == tenths


@pytest.mark.parametrize("raw", ["0", "+860", "０", "0-"])
def test_a_lone_zero_is_a_format_error_not_a_crash(raw: str) -> None:
    """Found by fuzzing the person form: a phone of just "0" used to raise IndexError."""
    with pytest.raises(ValidationError) as info:
        normalize_phone(raw)
    assert info.value.code.startswith("phone.")


def test_a_checksum_failure_ending_in_000_is_explained_as_excel() -> None:
    """Excel keeps 15 significant digits: 150121199001011234 saved as a number comes back ...000."""
    assert id_number_check_char("15012119900101100") != "0"  # so the ...000 number is invalid
    with pytest.raises(ValidationError) as info:
        parse_id_number("150121199001011000")
    assert info.value.code == "id_number.excel_number"
