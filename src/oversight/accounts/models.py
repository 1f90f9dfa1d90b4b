"""Organisations, people and what they may do: offices, bodies, units, courts, users and roles."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from oversight.law.roles import OfficeLevel, Post, Role


class OrganisationKind(models.TextChoices):
    PROSECUTOR_OFFICE = "prosecutor_office", _("Prosecutor's office")
    INVESTIGATION_BODY = "investigation_body", _("Pre-trial investigation body")
    INVESTIGATIVE_UNIT = "investigative_unit", _("Investigative unit")
    COURT = "court", _("Court")


class BodyKind(models.TextChoices):
    POLICE = "police", _("Police")
    ANTI_CORRUPTION = "anti_corruption", _("Anti-corruption service")
    FINANCIAL_MONITORING = "financial_monitoring", _("Financial monitoring agency")
    ECONOMIC_INVESTIGATION = "economic_investigation", _("Economic investigation service")
    NATIONAL_SECURITY = "national_security", _("National security committee")
    MILITARY_POLICE = "military_police", _("Military police")


class Region(models.Model):
    code = models.CharField(max_length=2, unique=True)  # the two digits the ERDR number carries
    name_en = models.CharField(max_length=200)
    name_ru = models.CharField(max_length=200)
    name_kk = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{2}$"), name="region_code_two_digits")]

    def __str__(self) -> str:
        return self.name_en


class Organisation(models.Model):
    """One node of the tree: prosecutor's offices, investigation bodies with their units, courts.

    `path` is a materialised path of codes ("/gpo/astana/astana-esil/") so that "this office and
    every office below it" is a prefix match on an index.
    """

    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    code = models.SlugField(max_length=64, unique=True)
    name_en = models.CharField(max_length=300)
    name_ru = models.CharField(max_length=300)
    name_kk = models.CharField(max_length=300)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=1000, unique=True, editable=False)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    office_level = models.CharField(
        max_length=16,
        choices=[(level.value, level.value) for level in OfficeLevel],
        blank=True,
        default="",
    )
    body_kind = models.CharField(max_length=32, choices=BodyKind.choices, blank=True, default="")
    unit_code = models.CharField(max_length=5, blank=True, default="")  # the five digits in ERDR numbers
    supervising_office = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_units",
        help_text="The supervision map: the prosecutor's office that supervises this unit.",
    )
    investigating_court = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a prosecutor's office: the court whose investigating judges hear its petitions.",
    )

    class Meta:
        ordering = ["path"]
        indexes = [models.Index(fields=["path"], name="organisation_path_prefix", opclasses=["varchar_pattern_ops"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=OrganisationKind.PROSECUTOR_OFFICE) | ~Q(office_level=""),
                name="prosecutor_office_has_level",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        OrganisationKind.INVESTIGATION_BODY,
                        OrganisationKind.INVESTIGATIVE_UNIT,
                    ]
                )
                | Q(body_kind=""),
                name="only_bodies_have_body_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind=OrganisationKind.INVESTIGATIVE_UNIT)
                | (Q(unit_code__regex=r"^[0-9]{5}$") & Q(supervising_office__isnull=False)),
                name="unit_has_code_and_supervisor",
            ),
            models.UniqueConstraint(fields=["unit_code"], condition=~Q(unit_code=""), name="unit_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name_en

    def name(self, language: str) -> str:
        return str(getattr(self, f"name_{language}", "") or self.name_en)

    @property
    def level(self) -> OfficeLevel | None:
        return OfficeLevel(self.office_level) if self.office_level else None

    def is_within(self, ancestor: Organisation) -> bool:
        return self.path.startswith(ancestor.path)


def new_security_stamp() -> str:
    return secrets.token_hex(16)


class User(AbstractUser):  # type: ignore[django-manager-missing]  # SecurityKey derives from untyped django-otp
    """A person who signs in. What they may do comes from their role grants, never from flags."""

    patronymic = models.CharField(max_length=150, blank=True, default="")
    security_stamp = models.CharField(
        max_length=32,
        default=new_security_stamp,
        help_text="Changing it ends every session of the user at once (sign-out, role removal, disabling).",
    )
    locked_at = models.DateTimeField(null=True, blank=True, help_text="Locked after repeated failed sign-ins.")
    must_change_password = models.BooleanField(
        default=False,
        db_default=False,
        help_text="The password was given by an administrator: the person sets their own before anything else.",
    )
    preferred_language = models.CharField(
        max_length=2,
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
        blank=True,
        default="",
        help_text="Chosen by the user; blank follows the browser's language until they choose.",
    )

    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part) or self.username

    def get_session_auth_hash(self) -> str:
        """Django checks this on every request: a new stamp invalidates every existing session."""
        return salted_hmac(
            "oversight.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.security_stamp}",
            algorithm="sha256",
        ).hexdigest()


ROLE_NAMES = {
    Role.INVESTIGATOR: _("investigator"),
    Role.HEAD_OF_UNIT: _("head of investigative unit"),
    Role.PROSECUTOR: _("prosecutor"),
    Role.SENIOR_PROSECUTOR: _("senior prosecutor"),
    Role.INVESTIGATING_JUDGE: _("investigating judge"),
    Role.ANALYST: _("analyst"),
    Role.ADMINISTRATOR: _("administrator"),
    Role.AUDITOR: _("auditor"),
}
ROLE_CHOICES = [(role.value, ROLE_NAMES[role]) for role in Role]
# Set by whoever grants the role (`manage.py grant_role --post`, accounts.security.assign_role), shown on no page.
POST_CHOICES = [(post.value, post.name.replace("_", " ").lower()) for post in Post]


class RoleGrant(models.Model):
    """A user holds a role in an organisation. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32, choices=ROLE_CHOICES)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="role_grants"
    )
    # The post, where the law names it (law.roles.Post): the General Prosecutor and the First Deputy
    # consent to decisions about special subjects.
    post = models.CharField(max_length=32, blank=True, default="", choices=POST_CHOICES)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # NULLS NOT DISTINCT: an administrator's grant (no organisation) is one row too
            models.UniqueConstraint(
                fields=["user", "role", "organisation"], name="role_grant_unique", nulls_distinct=False
            ),
            models.CheckConstraint(
                condition=Q(post="") | Q(role=Role.SENIOR_PROSECUTOR.value),
                name="role_grant_post_of_a_senior_prosecutor",
            ),
            models.CheckConstraint(
                condition=Q(role__in=[Role.ADMINISTRATOR, Role.ANALYST, Role.AUDITOR]) | Q(organisation__isnull=False),
                name="role_grant_needs_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.role} in {self.organisation}"


class ApiToken(models.Model):
    """A bearer token for API clients. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    label = models.CharField(max_length=200, blank=True, default="")
    prefix = models.CharField(max_length=12)  # shown in listings so a token can be recognised
    key_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the token, hex
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class SecurityKey(Device):  # type: ignore[misc]  # django-otp ships no type information
    """A WebAuthn authenticator (security key or platform passkey) as a django-otp device.

    Phishing-resistant (CJIS IA-2(8)); offered wherever the browser supports WebAuthn, beside TOTP.
    """

    credential_id = models.BinaryField(unique=True)
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    def verify_token(self, token: object) -> bool:
        return False  # verified by a WebAuthn assertion, never by a typed code
