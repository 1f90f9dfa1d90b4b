"""Identifiers the register validates: the IIN and the ERDR number.

IIN (individual identification number, Law of 12 Jan 2007 No. 223-III): 12 digits; YYMMDD of birth,
a seventh digit giving century and sex, and a check digit computed mod 11 with two weight rows.
ERDR number: 15 digits. The register assigns them as YY (year of registration), RR (region code),
UUUUU (registering unit code) and NNNNNN (sequence within unit and year); the structure of the
national register's numbers is to be confirmed, so only the length, the year and the region are
checked on numbers imported from it.
"""

from __future__ import annotations

import datetime as dt

_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_CENTURIES = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


class InvalidIdentifier(ValueError):
    """The value is not a well-formed identifier; the message says why."""


def iin_check_digit(first_eleven: str) -> int | None:
    """The check digit for the first 11 digits, or None where no valid digit exists."""
    digits = [int(character) for character in first_eleven]
    for weights in (_FIRST_WEIGHTS, _SECOND_WEIGHTS):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def validate_iin(value: str) -> str:
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise InvalidIdentifier("an IIN has exactly 12 digits")
    century = _CENTURIES.get(value[6])
    if century is not None:
        try:
            dt.date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))
        except ValueError:
            raise InvalidIdentifier("the IIN does not begin with a real date of birth") from None
    expected = iin_check_digit(value[:11])
    if expected is None or expected != int(value[11]):
        raise InvalidIdentifier("the IIN's check digit does not match")
    return value


def iin_birth_date(value: str) -> dt.date | None:
    """The birth date a valid IIN begins with (YYMMDD, the century in its seventh digit); None where the
    seventh digit carries no century (0, 7-9: legal entities and some foreigners' numbers)."""
    century = _CENTURIES.get(validate_iin(value)[6])
    if century is None:
        return None
    return dt.date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))


def make_iin(birth: dt.date, *, female: bool, serial: int) -> str:
    """Build a valid IIN (used by the demo and the tests; serial 0-9999, retried past bad ones)."""
    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth.year // 100 * 100] + (1 if female else 0)
    for attempt in range(serial, serial + 10_000):
        first_eleven = f"{birth:%y%m%d}{century_digit}{attempt % 10_000:04d}"
        check = iin_check_digit(first_eleven)
        if check is not None:
            return first_eleven + str(check)
    raise InvalidIdentifier("no valid IIN for this date and serial")  # pragma: no cover


ERDR_LENGTH = 15


def format_erdr(year: int, region_code: str, unit_code: str, sequence: int) -> str:
    number = f"{year % 100:02d}{region_code}{unit_code}{sequence:06d}"
    if len(number) != ERDR_LENGTH or not number.isdigit():
        raise InvalidIdentifier("region code must be 2 digits and unit code 5 digits")
    return number


def validate_erdr(value: str, *, year: int | None = None, region_code: str | None = None) -> str:
    if len(value) != ERDR_LENGTH or not value.isascii() or not value.isdigit():
        raise InvalidIdentifier("an ERDR number has exactly 15 digits")
    if year is not None and value[0:2] != f"{year % 100:02d}":
        raise InvalidIdentifier("the ERDR number's first two digits must be the year of registration")
    if region_code is not None and value[2:4] != region_code:
        raise InvalidIdentifier("the ERDR number's digits 3-4 must be the region's code")
    return value
