"""How the course writes a number in a sentence, on screen and on the command line alike."""

from __future__ import annotations


def number(x: float) -> str:
    """A number as a reader writes it: thousands separated, at most four decimals, no trailing zeros
    (1,000,000,000 rather than 1e+09; 7.5 rather than 7.50; 0.025 stays 0.025)."""
    text = f"{x:,.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
