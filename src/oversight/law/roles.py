"""The procedural actors the rulebook speaks of."""

from enum import StrEnum


class Role(StrEnum):
    INVESTIGATOR = "investigator"  # investigator or inquirer of a pre-trial investigation body
    HEAD_OF_UNIT = "head_of_unit"  # head of the investigative unit (CPC art. 61)
    PROSECUTOR = "prosecutor"  # procedural prosecutor or duty prosecutor of an office
    SENIOR_PROSECUTOR = "senior_prosecutor"  # head of an office, acting over the offices below it
    INVESTIGATING_JUDGE = "investigating_judge"  # CPC art. 55
    ANALYST = "analyst"
    ADMINISTRATOR = "administrator"
    AUDITOR = "auditor"  # reads the access log, nothing else (LED art. 25; CJIS AU-9)


class Post(StrEnum):
    """A senior prosecutor's post where the law names the post itself, not only the office."""

    NONE = ""
    GENERAL_PROSECUTOR = "general_prosecutor"
    FIRST_DEPUTY = "first_deputy"  # the General Prosecutor's First Deputy


# Who consents to a decision about a special subject: "the General Prosecutor or First Deputy";
# without that consent its results are inadmissible (CPC arts. 547, 550, 551; DOMAIN.md).
CONSENTING_POSTS = frozenset({Post.GENERAL_PROSECUTOR, Post.FIRST_DEPUTY})

INVESTIGATIVE_ROLES = frozenset({Role.INVESTIGATOR, Role.HEAD_OF_UNIT})
PROSECUTORIAL_ROLES = frozenset({Role.PROSECUTOR, Role.SENIOR_PROSECUTOR})


class OfficeLevel(StrEnum):
    """Levels of the prosecution service, lowest first."""

    DISTRICT = "district"  # district and city offices, and offices of equal standing
    REGIONAL = "regional"  # regional offices and those of Astana, Almaty and Shymkent
    GENERAL = "general"  # the General Prosecutor's Office

    @property
    def rank(self) -> int:
        return list(OfficeLevel).index(self)
