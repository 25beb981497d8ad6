"""The one table every issue 18 benchmark row is printed in: product beside raw, same run."""

from __future__ import annotations

from dataclasses import dataclass

RATES = ("req/s", "rows/s")


@dataclass(frozen=True)
class Row:
    """One figure: the product and the raw work it is measured against, in the same run, with
    the load average when it was taken. ``unit`` is a time ("ms", "s") or a rate ("req/s"):
    the ratio is always how many times the product's cost is raw's (below 1: faster)."""

    work: str
    size: str
    product: float
    raw: float | None
    unit: str
    load: float
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if not self.raw or not self.product:
            return None
        return self.raw / self.product if self.unit in RATES else self.product / self.raw


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.1f} {unit}" if value < 1000 or unit in RATES else f"{value:,.0f} {unit}"


HEADER = (
    f"| {'Work':<42} | {'Size':<20} | {'Product':>13} | {'Raw, same run':>13} "
    f"| {'Product/raw':>11} | {'Load avg':>8} | Notes\n"
    f"|{'-' * 44}|{'-' * 22}|{'-' * 15}|{'-' * 15}|{'-' * 13}|{'-' * 10}|------"
)


def line(row: Row) -> str:
    ratio = f"{row.ratio:.2f}×" if row.ratio is not None else "n/a"
    return (
        f"| {row.work:<42} | {row.size:<20} | {_value(row.product, row.unit):>13} "
        f"| {_value(row.raw, row.unit):>13} | {ratio:>11} | {row.load:>8.2f} | {row.note}"
    )


def print_table(rows: list[Row]) -> None:
    print(HEADER)
    for row in rows:
        print(line(row))
