"""Typo suggestions: the known name nearest to an unknown one."""

from __future__ import annotations

from collections.abc import Sequence
from difflib import get_close_matches

from .messages import _, code

# difflib's similarity (2 * matching characters / total length) at which a
# name reads as a typo: one or two slips in a catalogue key stay above it
# ("isoaton" 0.88, "gcdelay" 0.93), "lnchr" for launcher (0.77) does not.
_CUTOFF = 0.8


def closest(word: str, candidates: Sequence[str]) -> str | None:
    """The candidate most like ``word`` (any case), if one is close enough."""
    # Reversed, so that of two candidates equal but for case the first wins.
    by_lower = {candidate.lower(): candidate for candidate in reversed(candidates)}
    found = get_close_matches(word.lower(), by_lower, n=1, cutoff=_CUTOFF)
    return by_lower[found[0]] if found else None


def did_you_mean(word: str, candidates: Sequence[str]) -> str:
    suggestion = closest(word, candidates)
    if suggestion is None:
        return ""
    # The leading space joins it to the sentence before.
    return _(" Did you mean %(suggestion)s?") % {"suggestion": code(suggestion)}
