"""Text written into CSV and XLSX files is data, never a formula.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or with a tab or a
carriage return before one) as a formula: an answer such as ``=HYPERLINK(...)`` would run on
the reader's machine. Such text gets a leading apostrophe, as OWASP recommends; plain numbers
such as ``-12.5`` are left alone."""
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def neutralise(value):
    """``value`` unchanged unless it is text a spreadsheet would read as a formula."""
    if not isinstance(value, str) or PLAIN_NUMBER.fullmatch(value):
        return value
    if value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS):
        return "'" + value
    return value
