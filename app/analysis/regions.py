"""The UN M49 regions of the Member States, read from ``un_m49_regions.yaml`` (which names its
source and version): Babel has territory names but no containment data."""
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from app.questionnaires.schema import localized

REGIONS_FILE = Path(__file__).with_name("un_m49_regions.yaml")


@dataclass(frozen=True)
class Region:
    code: str
    name: dict[str, str]
    #: 0 for a region (Africa), 1 for a sub-region, 2 for an intermediate region.
    depth: int

    def text(self, locale: str) -> str:
        return localized(self.name, locale)


@dataclass(frozen=True)
class Geoscheme:
    #: Every region, depth first: a region, then the regions inside it.
    regions: tuple[Region, ...]
    by_code: dict[str, Region]
    #: State code -> codes of its regions, from the largest to the most specific.
    paths: dict[str, tuple[str, ...]]
    source: str
    version: str

    def region(self, code: str | None) -> Region | None:
        return self.by_code.get(code)

    def contains(self, region_code: str, state_code: str) -> bool:
        return region_code in self.paths.get(state_code, ())

    def path_names(self, state_code: str, locale: str) -> tuple[str, ...]:
        return tuple(self.region(code).text(locale) for code in self.paths.get(state_code, ()))


def _walk(nodes: list[dict], depth: int, above: tuple[str, ...], regions: list, paths: dict) -> None:
    for node in nodes:
        path = above + (node["code"],)
        regions.append(Region(node["code"], node["name"], depth))
        for state in node.get("states", ()):
            paths[state] = path
        _walk(node.get("regions", ()), depth + 1, path, regions, paths)


@lru_cache(maxsize=1)
def geoscheme() -> Geoscheme:
    data = yaml.safe_load(REGIONS_FILE.read_text(encoding="utf-8"))
    regions, paths = [], {}
    _walk(data["regions"], 0, (), regions, paths)
    return Geoscheme(tuple(regions), {r.code: r for r in regions}, paths, data["source"], data["version"])
