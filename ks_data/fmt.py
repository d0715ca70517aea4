"""Number formatting for display, the Swedish way by default, through Babel; and row names broken onto lines."""

from __future__ import annotations

import math
import textwrap

from babel import Locale
from babel.numbers import format_decimal

from ks_data.texts import DEFAULT_LANG, TEXTS, get_text

DEFAULT_LOCALE = "sv_SE"
DASH = "–"
MINUS = "\u2212"
# The one mapping from UI language to Babel locale; every module formats numbers through get_locale.
LOCALES = {"sv": "sv_SE", "en": "en_GB"}
# Units that the app names itself: shown in a value ("1 072 kr/invånare") and in unit columns; others as written.
UNIT_KEYS = {"kr/invånare": "unit.kr_per_inhabitant", "antal": "unit.count", "placering": "unit.rank",
             "procentenheter": "unit.points",
             "text": "unit.text", "tkr": "unit.tkr", "år": "unit.year", "se unit": "unit.see_unit"}


# The unit a difference between two values is counted in, where it is not theirs: between two percentages, percentage
# points (91 % is 5 procentenheter from 96 %, not 5 %: that would be 5 % of 96). Gaps to a target and changes between
# years both ask here.
DIFFERENCE_UNITS = {"%": "procentenheter"}


def get_difference_unit(unit: str) -> str:
    """Return the unit a difference between two values in ``unit`` is counted in: "procentenheter" for "%", else
    ``unit`` itself."""
    return DIFFERENCE_UNITS.get(unit, unit)


def get_locale(lang: str) -> str:
    """Return the Babel locale of a UI language ("en" -> "en_GB"); the Swedish one for an unknown language."""
    return LOCALES.get(lang, DEFAULT_LOCALE)


def get_vega_locale(lang: str) -> dict:
    """Return the Vega number locale of a UI language, from the same Babel symbols as the tables ("1,234.5" in English)."""
    symbols = Locale.parse(get_locale(lang)).number_symbols["latn"]
    return {"number": {"decimal": symbols["decimal"], "thousands": symbols["group"], "grouping": [3],
                       "currency": ["", "\u00a0kr"], "minus": MINUS}}


def get_locale_lang(locale: str) -> str:
    """Return the UI language of a Babel locale ("en_GB" -> "en"); Swedish for any other locale."""
    return next((lang for lang, loc in LOCALES.items() if loc == locale), DEFAULT_LANG)


def format_unit(unit, lang: str = DEFAULT_LANG) -> str:
    """Return a unit as the language names it ("kr/invånare" -> "SEK per inhabitant" in English); others as written."""
    key = UNIT_KEYS.get(unit)
    return get_text(key, lang) if key and key in TEXTS.get(lang, {}) else unit


def _minus(locale: str) -> str:
    # A real minus sign in every language, as in the charts (Babel's en_GB has the hyphen "-").
    return MINUS


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
    """Return an amount in thousands of kronor: "−105 546 tkr" (Swedish) or "−105,546 SEK k" (English)."""
    text = format_number(value, 0, locale, signed)
    return text if text == DASH else f"{text}\u00a0{format_unit('tkr', get_locale_lang(locale))}"


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
    return f"{text}\u00a0{format_unit(unit, get_locale_lang(locale))}"


def format_wrapped(label: str, width: int, lines: int) -> str:
    """Return ``label`` broken into at most ``lines`` lines of ``width`` characters ("\\n" between; " …" if cut)."""
    return "\n".join(textwrap.wrap(str(label), width, max_lines=lines, placeholder=" …")) or str(label)
