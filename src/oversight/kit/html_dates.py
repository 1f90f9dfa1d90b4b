"""The formats of HTML's date inputs.

`<input type="date">` and `datetime-local` take and send ISO 8601 whatever the page's language; a
localised value (Russian "14.11.2026") is shown as an empty field, so the forms' date widgets never
localise and parse only these.
"""

ISO_DATE = "%Y-%m-%d"
ISO_MINUTE = "%Y-%m-%dT%H:%M"
