"""Password rules beyond Django's: a generous ceiling and the words of our own context."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from oversight.accounts.models import User

# Words an attacker tries first against this system (ASVS 6.2.11).
CONTEXT_WORDS = ("oversight", "prokuratura", "prosecutor", "prokuror", "astana", "erdr", "police", "politsiya")


class MaximumLengthValidator:
    """At least 64 characters are always allowed (ASVS 6.2.9); the ceiling only stops abuse."""

    def __init__(self, max_length: int = 1024) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: User | None = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                "Use at most %(max_length)d characters.",
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return f"At most {self.max_length} characters; long passphrases are welcome."


class ContextWordsValidator:
    def validate(self, password: str, user: User | None = None) -> None:
        lowered = password.lower()
        stripped = "".join(character for character in lowered if character.isalpha())
        for word in CONTEXT_WORDS:
            if word in lowered and len(stripped) - len(word) < 6:
                raise ValidationError(
                    "The password is built on a word everyone associates with this system.",
                    code="password_context_word",
                )

    def get_help_text(self) -> str:
        return "Do not build the password on the system's or the office's name."
