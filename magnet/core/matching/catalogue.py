"""The MOE undergraduate major catalogue as the matcher reads it: major -> class -> discipline.

Codes are read the way feeds and postings write them: `080717T`, `080717` and the pre-2026 code of a
major moved to discipline 14 (`083203TK` -> `140003`) all name the same major. A code of 2 digits is a
discipline (学科门类), of 4 a class (专业类), of 6 or 7 a major; codes the catalogue does not know are
still compared by their digits, so a posting with a newer code keeps its class and discipline.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CSV = Path(__file__).resolve().parents[2] / "data" / "reference" / "moe_undergrad_majors_2026.csv"

# English names of disciplines and classes, for the English breakdown (majors keep their Chinese name).
DISCIPLINE_EN = {
    "01": "philosophy",
    "02": "economics",
    "03": "law",
    "04": "education",
    "05": "literature",
    "06": "history",
    "07": "science",
    "08": "engineering",
    "09": "agriculture",
    "10": "medicine",
    "12": "management",
    "13": "arts",
    "14": "interdisciplinary studies",
}
CLASS_EN = {
    "0101": "philosophy",
    "0201": "economics",
    "0202": "public finance",
    "0203": "finance",
    "0204": "economics and trade",
    "0301": "law",
    "0302": "political science",
    "0303": "sociology",
    "0304": "ethnology",
    "0305": "Marxist theory",
    "0306": "public security",
    "0401": "education",
    "0402": "physical education",
    "0501": "Chinese language and literature",
    "0502": "foreign languages",
    "0503": "journalism and communication",
    "0601": "history",
    "0701": "mathematics",
    "0702": "physics",
    "0703": "chemistry",
    "0704": "astronomy",
    "0705": "geography",
    "0706": "atmospheric science",
    "0707": "marine science",
    "0708": "geophysics",
    "0709": "geology",
    "0710": "biological sciences",
    "0711": "psychology",
    "0712": "statistics",
    "0801": "mechanics",
    "0802": "mechanical engineering",
    "0803": "instrumentation",
    "0804": "materials",
    "0805": "energy and power",
    "0806": "electrical engineering",
    "0807": "electronics and information",
    "0808": "automation",
    "0809": "computer science",
    "0810": "civil engineering",
    "0811": "water resources",
    "0812": "surveying and mapping",
    "0813": "chemical and pharmaceutical engineering",
    "0814": "geological engineering",
    "0815": "mining",
    "0816": "textiles",
    "0817": "light industry",
    "0818": "transportation",
    "0819": "ocean engineering",
    "0820": "aerospace",
    "0821": "weaponry",
    "0822": "nuclear engineering",
    "0823": "agricultural engineering",
    "0824": "forestry engineering",
    "0825": "environmental science and engineering",
    "0826": "biomedical engineering",
    "0827": "food science and engineering",
    "0828": "architecture",
    "0829": "safety engineering",
    "0830": "bioengineering",
    "0831": "public security technology",
    "0901": "plant production",
    "0902": "nature conservation and ecology",
    "0903": "animal production",
    "0904": "veterinary medicine",
    "0905": "forestry",
    "0906": "aquaculture",
    "0907": "grassland science",
    "1001": "basic medicine",
    "1002": "clinical medicine",
    "1003": "stomatology",
    "1004": "public health",
    "1005": "traditional Chinese medicine",
    "1006": "integrated Chinese and Western medicine",
    "1007": "pharmacy",
    "1008": "Chinese materia medica",
    "1009": "forensic medicine",
    "1010": "medical technology",
    "1011": "nursing",
    "1201": "management science and engineering",
    "1202": "business administration",
    "1203": "agricultural economics and management",
    "1204": "public administration",
    "1205": "library, information and archives",
    "1206": "logistics",
    "1207": "industrial engineering",
    "1208": "e-commerce",
    "1209": "tourism management",
    "1301": "art theory",
    "1302": "music and dance",
    "1303": "drama, film and television",
    "1304": "fine arts",
    "1305": "design",
    "1400": "interdisciplinary studies",
}

_CODE = re.compile(r"^(\d{2}|\d{4}|\d{6,7})[TK]{0,2}$")


@dataclass(frozen=True)
class Catalogue:
    """Majors, classes and disciplines by code, with their names; old codes mapped to current ones."""

    names: dict[str, str]  # discipline, class or major code (digits only) -> Chinese name
    moved: dict[str, str]  # pre-2026 code (digits only) -> current code

    @classmethod
    def from_csv(cls, path: str | Path = DEFAULT_CSV) -> Catalogue:
        """Read `moe_undergrad_majors_2026.csv` (columns as in `magnet/data/reference/SOURCES.md`)."""
        names: dict[str, str] = {}
        moved: dict[str, str] = {}
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                names[row["discipline_code"]] = row["discipline_name"]
                names[row["class_code"]] = row["class_name"]
                names[row["major_code"]] = row["major_name"]
                previous = re.sub(r"[TK]+$", "", row.get("previous_code_full") or "")
                if previous:
                    moved[previous] = row["major_code"]
        return cls(names=names, moved=moved)

    def normalise(self, code: str | None) -> str | None:
        """Digits of a catalogue code, suffix dropped and old codes mapped; None when it is not a code.

        >>> c = Catalogue(names={}, moved={"083203": "140003"})
        >>> c.normalise("080717T"), c.normalise(" 083203TK "), c.normalise("0809"), c.normalise("x")
        ('080717', '140003', '0809', None)
        """
        if code is None:
            return None
        code = code.strip().upper()
        if not _CODE.match(code):
            return None
        digits = code.rstrip("TK")
        return self.moved.get(digits, digits)

    def name(self, code: str) -> str:
        """The Chinese name of a normalised code, or the code itself when unknown."""
        return self.names.get(code, code)

    def name_en(self, code: str) -> str:
        """An English name for disciplines and classes; majors keep their Chinese name."""
        if len(code) == 2:
            return DISCIPLINE_EN.get(code, self.name(code))
        if len(code) == 4:
            return CLASS_EN.get(code, self.name(code))
        return self.name(code)
