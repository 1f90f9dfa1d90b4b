"""The identifiers the register validates (IIN, ERDR number) and references to the Criminal Code."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.law.criminal_code import (
    MAX_PARAGRAPH,
    MAX_PART,
    SPECIAL_PART,
    ArticleReference,
    InvalidArticle,
    parse_article,
)
from oversight.law.identifiers import (
    InvalidIdentifier,
    format_erdr,
    iin_birth_date,
    iin_check_digit,
    make_iin,
    validate_erdr,
    validate_iin,
)

births = st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2099, 12, 31))
serials = st.integers(min_value=0, max_value=9999)


def with_check_digit(first_eleven: str) -> str:
    check = iin_check_digit(first_eleven)
    assert check is not None, f"{first_eleven} has no valid check digit; pick another serial"
    return first_eleven + str(check)


# --- IIN ------------------------------------------------------------------------------------------

# 8·1 + 7·2 + 0·3 + 4·4 + 1·5 + 2·6 + 3·7 + 0·8 + 0·9 + 5·10 + 0·11 = 126 ≡ 5 (mod 11)
MAN_BORN_12_APRIL_1987 = "870412300505"
# First row: 76 ≡ 10 (mod 11), so the second row decides: 3·8 + 4·7 + 6·4 + 7·1 + 8·2 + 9·3 = 126 ≡ 5
SECOND_WEIGHT_ROW = "870412300005"
# Both rows give remainder 10 for 87041230008, so no twelfth digit makes it valid.
NO_VALID_CHECK_DIGIT = "87041230008"


@pytest.mark.parametrize("iin", [MAN_BORN_12_APRIL_1987, SECOND_WEIGHT_ROW])
def test_hand_computed_iin_is_valid(iin: str) -> None:
    assert validate_iin(iin) == iin


def test_eleven_digits_with_no_valid_check_digit_are_never_an_iin() -> None:
    assert iin_check_digit(NO_VALID_CHECK_DIGIT) is None
    for last in "0123456789":
        with pytest.raises(InvalidIdentifier, match="check digit"):
            validate_iin(NO_VALID_CHECK_DIGIT + last)


def test_make_iin_skips_a_serial_with_no_valid_check_digit() -> None:
    # serial 8 is NO_VALID_CHECK_DIGIT; serial 9: 76 + 9·11 = 175 ≡ 10, then 126 + 9·2 = 144 ≡ 1.
    assert make_iin(dt.date(1987, 4, 12), female=False, serial=8) == "870412300091"


@given(birth=births, female=st.booleans(), serial=serials)
def test_make_iin_builds_a_valid_iin_for_the_person(birth: dt.date, female: bool, serial: int) -> None:
    iin = make_iin(birth, female=female, serial=serial)
    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth.year // 100 * 100] + int(female)

    assert validate_iin(iin) == iin
    assert len(iin) == 12
    assert iin[:6] == f"{birth:%y%m%d}"
    assert iin[6] == str(century_digit)


@given(birth=births, female=st.booleans(), serial=serials)
def test_the_birth_date_is_read_back_from_the_iin(birth: dt.date, female: bool, serial: int) -> None:
    assert iin_birth_date(make_iin(birth, female=female, serial=serial)) == birth


def test_an_iin_whose_seventh_digit_gives_no_century_has_no_birth_date() -> None:
    first_eleven = next(f"8704120{n:04d}" for n in range(10_000) if iin_check_digit(f"8704120{n:04d}") is not None)
    value = first_eleven + str(iin_check_digit(first_eleven))
    assert iin_birth_date(value) is None
    with pytest.raises(InvalidIdentifier):
        iin_birth_date("870412300090")  # a wrong check digit is not read at all


@given(birth=births, female=st.booleans(), serial=serials)
def test_any_other_last_digit_is_refused(birth: dt.date, female: bool, serial: int) -> None:
    iin = make_iin(birth, female=female, serial=serial)
    for last in "0123456789".replace(iin[-1], ""):
        with pytest.raises(InvalidIdentifier, match="check digit"):
            validate_iin(iin[:-1] + last)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("", id="empty"),
        pytest.param(MAN_BORN_12_APRIL_1987[:-1], id="11 digits"),
        pytest.param(MAN_BORN_12_APRIL_1987 + "0", id="13 digits"),
        pytest.param("87041230050a", id="a letter"),
        pytest.param("8704 1230050", id="a space"),
        pytest.param("-87041230050", id="a sign"),
        pytest.param("８７０４１２３００５０５", id="full-width digits"),
        pytest.param("٨٧٠٤١٢٣٠٠٥٠٥", id="Arabic-Indic digits"),
    ],
)
def test_iin_that_is_not_twelve_ascii_digits_is_refused(value: str) -> None:
    with pytest.raises(InvalidIdentifier, match="12 digits"):
        validate_iin(value)


@pytest.mark.parametrize(
    "first_eleven",
    [
        pytest.param("87023030050", id="30 February"),
        pytest.param("87130130050", id="month 13"),
        pytest.param("87000130050", id="month 0"),
        pytest.param("87040030050", id="day 0"),
        pytest.param("87043130050", id="31 April"),
        pytest.param("00022930050", id="29 February 1900, not a leap year"),
    ],
)
def test_iin_with_an_impossible_birth_date_is_refused(first_eleven: str) -> None:
    with pytest.raises(InvalidIdentifier, match="date of birth"):
        validate_iin(with_check_digit(first_eleven))


def test_29_february_of_a_leap_year_is_a_birth_date() -> None:
    iin = with_check_digit("00022950050")  # century digit 5: 29 February 2000

    assert validate_iin(iin) == iin


# --- ERDR number ----------------------------------------------------------------------------------

ERDR = "261500001000123"  # 2026, region 15, unit 00001, sequence 123


def test_erdr_number_is_laid_out_as_year_region_unit_sequence() -> None:
    assert format_erdr(2026, "15", "00001", 123) == ERDR


def test_erdr_number_matching_its_year_and_region_is_accepted() -> None:
    assert validate_erdr(ERDR) == ERDR
    assert validate_erdr(ERDR, year=2026, region_code="15") == ERDR


@given(
    year=st.integers(min_value=2000, max_value=2099),
    region=st.integers(min_value=0, max_value=99),
    unit=st.integers(min_value=0, max_value=99_999),
    sequence=st.integers(min_value=0, max_value=999_999),
)
def test_formatted_erdr_number_validates_for_its_year_and_region(
    year: int, region: int, unit: int, sequence: int
) -> None:
    region_code = f"{region:02d}"
    number = format_erdr(year, region_code, f"{unit:05d}", sequence)

    assert len(number) == 15
    assert validate_erdr(number, year=year, region_code=region_code) == number


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(ERDR[:-1], id="14 digits"),
        pytest.param(ERDR + "4", id="16 digits"),
        pytest.param("2615000010001A3", id="a letter"),
        pytest.param("26-15-00001-0001", id="separators"),
        pytest.param("٢٦١٥٠٠٠٠١٠٠٠١٢٣", id="Arabic-Indic digits"),
    ],
)
def test_erdr_number_that_is_not_fifteen_ascii_digits_is_refused(value: str) -> None:
    with pytest.raises(InvalidIdentifier, match="15 digits"):
        validate_erdr(value)


def test_erdr_number_from_another_year_is_refused() -> None:
    with pytest.raises(InvalidIdentifier, match="year"):
        validate_erdr(ERDR, year=2025)


def test_erdr_number_from_another_region_is_refused() -> None:
    with pytest.raises(InvalidIdentifier, match="region"):
        validate_erdr(ERDR, region_code="19")


@pytest.mark.parametrize(
    ("region_code", "unit_code", "sequence"),
    [
        pytest.param("150", "00001", 1, id="three-digit region"),
        pytest.param("15", "0001", 1, id="four-digit unit"),
        pytest.param("1a", "00001", 1, id="letter in region"),
        pytest.param("15", "00001", 1_000_000, id="seven-digit sequence"),
        pytest.param("15", "00001", -1, id="negative sequence"),
    ],
)
def test_erdr_number_cannot_be_formatted_from_malformed_parts(region_code: str, unit_code: str, sequence: int) -> None:
    with pytest.raises(InvalidIdentifier):
        format_erdr(2026, region_code, unit_code, sequence)


# --- Criminal Code references ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("article", "part", "paragraph", "expected"),
    [
        pytest.param("188", None, None, ArticleReference("188"), id="article"),
        pytest.param("188-1", None, None, ArticleReference("188-1"), id="article with suffix"),
        pytest.param(" 188 ", None, None, ArticleReference("188"), id="surrounding spaces trimmed"),
        pytest.param("188", 2, None, ArticleReference("188", 2), id="article and part"),
        pytest.param("188", 2, 3, ArticleReference("188", 2, 3), id="article, part and paragraph"),
        pytest.param("99", 1, None, ArticleReference("99", 1), id="first article of the Special Part"),
        pytest.param("475", None, None, ArticleReference("475"), id="last article of the Special Part"),
        pytest.param("190", MAX_PART, MAX_PARAGRAPH, ArticleReference("190", 6, 12), id="largest part and paragraph"),
    ],
)
def test_well_formed_reference_is_accepted(
    article: str, part: int | None, paragraph: int | None, expected: ArticleReference
) -> None:
    assert parse_article(article, part, paragraph) == expected


def test_reference_reads_as_article_part_paragraph() -> None:
    reference = parse_article("188-1", 2, 3)

    assert str(reference) == "art. 188-1 p. 2 para. 3"
    assert reference.number == 188


@pytest.mark.parametrize(
    "article",
    [
        pytest.param(str(SPECIAL_PART[0] - 1), id="98, General Part"),
        pytest.param(str(SPECIAL_PART[1] + 1), id="476, past the Special Part"),
        pytest.param("1", id="1"),
        pytest.param("1000", id="1000"),
    ],
)
def test_article_outside_the_special_part_is_refused(article: str) -> None:
    with pytest.raises(InvalidArticle):
        parse_article(article)


@pytest.mark.parametrize(
    "article",
    [
        pytest.param("", id="empty"),
        pytest.param("theft", id="words"),
        pytest.param("0188", id="leading zero"),
        pytest.param("188-", id="dangling dash"),
        pytest.param("188-0", id="suffix 0"),
        pytest.param("188-100", id="three-digit suffix"),
        pytest.param("188-1-2", id="two suffixes"),
        pytest.param("188.1", id="dot instead of dash"),
        pytest.param("-188", id="negative"),
        pytest.param("188 p. 2", id="part written into the article"),
        pytest.param("1٨٨", id="Arabic-Indic digits"),
        pytest.param("１８８", id="full-width digits"),
    ],
)
def test_garbage_article_is_refused(article: str) -> None:
    with pytest.raises(InvalidArticle):
        parse_article(article)


@pytest.mark.parametrize(
    ("part", "paragraph"),
    [
        pytest.param(0, None, id="part 0"),
        pytest.param(MAX_PART + 1, None, id="part 7"),
        pytest.param(-1, None, id="negative part"),
        pytest.param(1, 0, id="paragraph 0"),
        pytest.param(1, MAX_PARAGRAPH + 1, id="paragraph 13"),
    ],
)
def test_part_or_paragraph_out_of_range_is_refused(part: int, paragraph: int | None) -> None:
    with pytest.raises(InvalidArticle, match=r"a (part|paragraph) is a number"):
        parse_article("188", part, paragraph)


def test_paragraph_without_a_part_is_refused() -> None:
    with pytest.raises(InvalidArticle, match="within a part"):
        parse_article("188", None, 2)
