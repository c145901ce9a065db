"""Reading one environment variable into a typed value; a bad value raises ConfigError naming the variable.

Shared by settings.py and the feature config modules so every setting parses the same way: surrounding
white space is ignored, an empty value means "use the default", integers may use `_` as a digit separator,
booleans accept 1/true/yes/on and 0/false/no/off in any case.
"""

from __future__ import annotations

from collections.abc import Mapping

from pos_grocery.errors import ConfigError

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def text(env: Mapping[str, str], name: str, default: str) -> str:
    """The stripped value, or the default when the variable is missing."""
    raw = env.get(name)
    return default if raw is None else raw.strip()


def integer(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """A base-10 integer within [low, high]; empty or missing gives the default."""
    raw = text(env, name, "")
    if raw == "":
        return default
    try:
        value = int(raw.replace("_", ""), 10)
    except ValueError:
        raise ConfigError(name, f"must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(name, f"must be between {low} and {high}, got {value}")
    return value


def boolean(env: Mapping[str, str], name: str, default: bool) -> bool:
    """true/false words; empty or missing gives the default."""
    word = text(env, name, "").lower()
    if word == "":
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(name, f"must be true or false, got {word!r}")
