"""Number formatting for display, the Swedish way by default, through Babel."""

from __future__ import annotations

import math

from babel import Locale
from babel.numbers import format_decimal

DEFAULT_LOCALE = "sv_SE"
DASH = "–"


def _minus(locale: str) -> str:
    return Locale.parse(locale).number_symbols["latn"]["minusSign"]


def format_number(value, decimals: int = 0, locale: str = DEFAULT_LOCALE, signed: bool = False) -> str:
    """Return ``value`` with the locale's grouping, decimal sign and minus sign ("−105 546"); '–' if missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    fmt = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    text = format_decimal(abs(value), format=fmt, locale=locale)
    if round(value, decimals) < 0:
        return _minus(locale) + text
    if signed and round(value, decimals) > 0:
        return "+" + text
    return text


def format_tkr(value, locale: str = DEFAULT_LOCALE, signed: bool = False) -> str:
    """Return an amount in thousands of kronor: "−105 546 tkr" (Swedish) or "−105,546 tkr"."""
    text = format_number(value, 0, locale, signed)
    return text if text == DASH else f"{text}\u00a0tkr"


def format_percent(value, decimals: int = 0, locale: str = DEFAULT_LOCALE, signed: bool = False) -> str:
    """Return a value already in percent as "80 %" (Swedish) or "80%" (English)."""
    text = format_number(value, decimals, locale, signed)
    if text == DASH:
        return text
    return f"{text}\u00a0%" if locale.startswith("sv") else f"{text}%"


def format_value(value, unit: str, locale: str = DEFAULT_LOCALE, decimals: int | None = None) -> str:
    """Return a measured value with its unit: "80 %", "298", "1 072 kr/invånare"; '–' if missing."""
    if decimals is None:
        missing = value is None or (isinstance(value, float) and math.isnan(value))
        decimals = 0 if missing or float(value).is_integer() else 1
    if unit == "%":
        return format_percent(value, decimals, locale)
    text = format_number(value, decimals, locale)
    if text == DASH or unit in ("antal", "placering", "text", ""):
        return text
    return f"{text}\u00a0{unit}"
