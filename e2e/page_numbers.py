"""The dashboard's number formats (web/src/insights/format.ts) in Python: what a report table must show, and its CSV
hold, for a number the reference computed. JavaScript's rounding is mirrored exactly (toFixed rounds the exact binary
value half away from zero, Math.round half up)."""
import math
from decimal import ROUND_HALF_UP, Decimal


def js_fixed(value: float, digits: int) -> str:
    """JavaScript's toFixed: the exact binary value rounded half away from zero."""
    return f"{Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP):.{digits}f}"


def number(value: float) -> str:
    """A report value: whole numbers as they are, others with two decimals."""
    return str(int(value)) if float(value).is_integer() else js_fixed(value, 2)


def percent(share: float) -> str:
    """A share as a percentage with one decimal."""
    return f"{js_fixed(share * 100, 1)}%"


def change(current: float, previous: float) -> str:
    """The change of a total: "+12.5%", "−3.0%" (a minus sign), "n/a" when the previous total is 0."""
    if previous == 0:
        return "n/a"
    value = ((current - previous) / abs(previous)) * 100
    text = js_fixed(abs(value), 1)
    return "0.0%" if text == "0.0" else f"{'+' if value > 0 else '−'}{text}%"


def duration(seconds: float | None) -> str:
    """A duration rounded to the second: "45s", "3m 05s", "2h 07m", "3d 4h"; "—" for none."""
    if seconds is None:
        return "—"
    total = math.floor(seconds + 0.5)
    if total < 60:
        return f"{total}s"
    if total < 3600:
        return f"{total // 60}m {total % 60:02d}s"
    if total < 86400:
        return f"{total // 3600}h {total % 3600 // 60:02d}m"
    return f"{total // 86400}d {total % 86400 // 3600}h"
