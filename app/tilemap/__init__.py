"""A tile-grid map of the world: one equal square per Member State, placed roughly where the
State lies, with no borders drawn, so that no boundary is shown or disputed (the kind of map
news graphics use). ``tiles.csv`` holds each State's grid position (ISO 3166-1 alpha-3 code,
row from the top, column from the west); the layout was drawn for this platform by hand, region
by region (Americas to the west, Europe above Africa, Asia to the east, Oceania to the south-east).

A page builds the plain data of a map with ``tile_map`` and renders it with the Jinja macro
``tile_map`` of ``macros/tilemap.html``: inline SVG drawn on the server (no script), a legend,
and a table of the same facts as its text alternative. In a right-to-left language the map is
mirrored: east is drawn on the left, as the page reads.

    categories = {"FRA": "accepted", "NER": "draft", ...}   # State -> its category
    legend = [("accepted", _("Accepted")), ("draft", _("Draft")), ...]
    data = tile_map(categories, legend, member_names("ar"), rtl=True, caption=_("Status by State"),
                    missing_label=_("No data"))
"""
import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.i18n import collation_key
from app.states.names import official_names

TILES_FILE = Path(__file__).with_name("tiles.csv")
#: Colours of the ``categorical`` palette (static/css/tilemap.css); other categories share the last.
PALETTE_SIZE = 8


@dataclass(frozen=True)
class Tile:
    code: str
    row: int
    col: int


@dataclass(frozen=True)
class PlacedTile:
    code: str
    name: str
    #: Grid column as drawn: mirrored in a right-to-left language.
    x: int
    y: int
    #: The category's key (None: no data for this State) and its position in the legend.
    category: str | None
    colour: int | None
    label: str
    #: Where the tile leads (a State's page), or None.
    href: str | None = None


@dataclass(frozen=True)
class LegendItem:
    key: str
    label: str
    colour: int
    count: int


@dataclass(frozen=True)
class TileMap:
    caption: str
    tiles: tuple[PlacedTile, ...]
    legend: tuple[LegendItem, ...]
    width: int
    height: int
    #: The label of tiles without a category ("no data", "not started"...).
    missing_label: str
    #: The name of the CSS palette: ``categorical`` or ``status`` (keys are statuses).
    palette: str = "categorical"

    @property
    def missing_count(self) -> int:
        return sum(1 for tile in self.tiles if tile.category is None)


@lru_cache(maxsize=1)
def tiles() -> tuple[Tile, ...]:
    """Every Member State's tile, read once per process."""
    with TILES_FILE.open(encoding="utf-8") as file:
        return tuple(Tile(row["iso3"], int(row["row"]), int(row["col"])) for row in csv.DictReader(file))


def member_names(locale: str) -> dict[str, str]:
    """Every Member State's code -> its UN official short name in ``locale``, in that
    language's alphabetical order (the order of the map's table)."""
    language = str(locale).replace("-", "_").split("_")[0]
    names = {code: by_language.get(language) or by_language["en"] for code, by_language in official_names().items()}
    key = collation_key(locale)
    return dict(sorted(names.items(), key=lambda item: key(item[1])))


def tile_map(categories: dict[str, str], legend: list[tuple[str, str]], names: dict[str, str], *,
             rtl: bool, caption: str, missing_label: str, palette: str = "categorical",
             links: dict[str, str] | None = None) -> TileMap:
    """The plain data of one map. ``categories`` gives each State's category key, ``legend``
    the keys in order with their labels, ``names`` each State's name in the reader's language,
    sorted as the text alternative should list them; ``links`` the address a State's tile (and
    its line in the table) leads to, if any."""
    links = links or {}
    colours = {key: min(index, PALETTE_SIZE - 1) for index, (key, _label) in enumerate(legend)}
    labels = dict(legend)
    width = max(tile.col for tile in tiles()) + 1
    height = max(tile.row for tile in tiles()) + 1
    order = {code: index for index, code in enumerate(names)}
    placed = []
    for tile in sorted(tiles(), key=lambda tile: order.get(tile.code, len(order))):
        key = categories.get(tile.code)
        key = key if key in labels else None
        placed.append(PlacedTile(tile.code, names.get(tile.code, tile.code),
                                 width - 1 - tile.col if rtl else tile.col, tile.row,
                                 key, colours.get(key), labels[key] if key else missing_label,
                                 links.get(tile.code)))
    counts = {key: sum(1 for tile in placed if tile.category == key) for key in labels}
    return TileMap(caption, tuple(placed), tuple(LegendItem(key, label, colours[key], counts[key])
                                                 for key, label in legend),
                   width, height, missing_label, palette)
