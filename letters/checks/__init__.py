"""Mandatory-content checks: what DISP requires each letter to say, tested on the rendered text.

Each letter type declares its required elements with the rule behind them (``requirements``;
the FOS block most letters share is in ``fos``). A check looks for robust phrases (regular
expressions over normalised text, so quotes, dashes, case and line breaks do not matter,
``text``) and, where the element is the handler's own input (reasons, redress, a date, the other
firm's details), for that value itself. Template names and merge fields are never trusted: only
what the complainant would read counts.
"""
