"""The head of the secretariat's dashboard: the cycle's statuses as one bar, the same by region,
the States late or at risk, and the tile map coloured by status. Computed from the dashboard's
rows (``dashboard.build_rows``), so it adds no query.

A State is **late** when the deadline has passed and it has not submitted (not started, draft
or returned). It is **at risk** when the deadline is at most ``AT_RISK_DAYS`` away and less than
``AT_RISK_COMPLETION`` of its applicable questions are answered (a State that has not started
has answered none)."""
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _

from app.analysis.dashboard import AWAITING_STATE, NOT_STARTED, STATUS_ORDER, DashboardRow, status_counts
from app.analysis.names import by_name
from app.analysis.regions import geoscheme
from app.responses.labels import status_label
from app.tilemap import TileMap, tile_map

#: A State that has not submitted is at risk this many days before the deadline...
AT_RISK_DAYS = 14
#: ...when less than this share of its questions is answered.
AT_RISK_COMPLETION = 0.5


@dataclass(frozen=True)
class Segment:
    status: str
    count: int
    #: Where the segment starts and how long it is, as shares of the bar.
    start: float
    share: float
    #: Its colour in the status palette of the tile map (static/css/tilemap.css).
    colour: int


@dataclass(frozen=True)
class StatusBar:
    label: str
    #: The region's code (None for the whole cycle), for the dashboard's region filter.
    region: str | None
    total: int
    segments: tuple[Segment, ...]

    @property
    def handed_in(self) -> int:
        return sum(s.count for s in self.segments if s.status not in AWAITING_STATE)


@dataclass(frozen=True)
class Concern:
    row: DashboardRow
    late: bool


def status_bar(rows: list[DashboardRow], label: str, region: str | None = None) -> StatusBar:
    counts = status_counts(rows)
    total = sum(counts.values())
    segments, start = [], 0.0
    for status in STATUS_ORDER:
        share = counts[status] / total if total else 0.0
        segments.append(Segment(status, counts[status], start, share, STATUS_ORDER.index(status)))
        start += share
    return StatusBar(label, region, total, tuple(segments))


def region_bars(rows: list[DashboardRow], locale: str) -> list[StatusBar]:
    """One bar per region of the world (Africa, Americas...), in the geoscheme's order."""
    scheme = geoscheme()
    return [status_bar([row for row in rows if scheme.contains(region.code, row.code)], region.text(locale),
                       region.code)
            for region in scheme.regions if region.depth == 0]


def is_at_risk(row: DashboardRow) -> bool:
    if row.days_left is None or row.days_left < 0 or row.days_left > AT_RISK_DAYS:
        return False
    return (row.completion or 0.0) < AT_RISK_COMPLETION


def concerns(rows: list[DashboardRow]) -> list[Concern]:
    """The States late, then those at risk, each by completion (least first), then by name."""
    late = [row for row in rows if row.days_left is not None and row.days_left < 0]
    risky = [row for row in rows if is_at_risk(row)]

    def ordered(found):
        return sorted(by_name(found), key=lambda row: row.completion or 0.0)

    return [Concern(row, True) for row in ordered(late)] + [Concern(row, False) for row in ordered(risky)]


def status_map(rows: list[DashboardRow], rtl: bool, cycle_id: int) -> TileMap:
    """Each State's tile in its status's colour, leading to its response for review once started."""
    names = {row.code: row.name for row in by_name(rows)}
    links = {row.code: url_for("review.submission", cycle_id=cycle_id, state_code=row.code)
             for row in rows if row.status != NOT_STARTED}
    return tile_map({row.code: row.status for row in rows},
                    [(status, status_label(status)) for status in STATUS_ORDER], names, rtl=rtl,
                    caption=_("Status of each Member State"), missing_label=_("Not a Member State in this cycle"),
                    palette="status", links=links)
