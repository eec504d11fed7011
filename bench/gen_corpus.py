"""Generate a synthetic corpus of N requirements as a kokom workspace and as a Doorstop tree.

Both hold the same requirements (same ids, titles, texts, links), so tools are
compared on the same content. Usage: python bench/gen_corpus.py OUT [N]
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

WORDS = (
    "operatør",
    "svartid",
    "anrop",
    "legevaktsentral",
    "AMK",
    "rutine",
    "dokumentasjon",
    "opplæring",
    "Nødnett",
    "lydlogg",
    "samvirke",
    "hastegrad",
    "vaktlege",
    "prosedyre",
    "avvik",
    "ROS-analyse",
    "ressurskoordinator",
    "tiltak",
    "innringer",
    "kvalitet",
    "styringssystem",
    "beredskap",
)
KINDS = ("amk", "legevaktsentral", "legevakt", "kommune", "helseforetak", "ambulanse")
PER_CHAPTER = 100


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def requirements(n: int, seed: int = 1):
    rng = random.Random(seed)
    for i in range(n):
        chapter, number = divmod(i, PER_CHAPTER)
        rid = f"GEN-K{chapter:03d}-{number:03d}"
        link = f"GEN-K{chapter:03d}-{number + 1:03d}" if number + 1 < PER_CHAPTER and i + 1 < n else None
        yield {
            "id": rid,
            "chapter": chapter,
            "title": sentence(rng, 8)[:-1],
            "text": " ".join(sentence(rng, 14) for _ in range(3)),
            "level": rng.choice(("skal", "bør")),
            "applies_to": rng.sample(KINDS, 2),
            "link": link,
        }


def write_kokom(root: Path, n: int) -> None:
    (root / "requirements").mkdir(parents=True, exist_ok=True)
    (root / "kokom.yaml").write_text('title: Syntetisk korpus\nedition: "2026.1"\n', encoding="utf-8")
    chapters: dict[int, list[str]] = {}
    for r in requirements(n):
        links = f"    links: [{r['link']}]\n" if r["link"] else ""
        chapters.setdefault(r["chapter"], []).append(
            f"  - id: {r['id']}\n    title: {r['title']}\n    text: >-\n      {r['text']}\n"
            f"    level: {r['level']}\n    applies_to: [{', '.join(r['applies_to'])}]\n"
            f"    source:\n      - title: Akuttmedisinforskriften § 13\n"
            f"        url: https://lovdata.no/forskrift/2015-03-20-231/§13\n"
            f"    verification: document\n    evidence:\n      - kind: document\n"
            f"        description: Skriftlig rutine\n        max_age_months: 24\n"
            f'    since: "2026.1"\n{links}'
        )
    for chapter, items in chapters.items():
        head = f"chapter: k{chapter:03d}\ntitle: Kapittel {chapter}\norder: {chapter}\nrequirements:\n"
        (root / "requirements" / f"{chapter:03d}.yaml").write_text(head + "".join(items), encoding="utf-8")


def write_doorstop(root: Path, n: int) -> None:
    doc = root / "reqs"
    doc.mkdir(parents=True, exist_ok=True)
    (doc / ".doorstop.yml").write_text("settings:\n  digits: 5\n  prefix: GEN\n  sep: '-'\n", encoding="utf-8")
    for i, r in enumerate(requirements(n), start=1):
        number = (i - 1) % PER_CHAPTER
        links = f"links:\n- GEN-{i + 1:05d}\n" if r["link"] else "links: []\n"
        (doc / f"GEN-{i:05d}.yml").write_text(
            f"active: true\nderived: false\nheader: |\n  {r['title']}\nlevel: '{r['chapter'] + 1}.{number + 1}'\n"
            f"{links}normative: true\nref: ''\nreviewed: null\ntext: |\n  {r['text']}\n",
            encoding="utf-8",
        )
    if not (root / ".git").exists():
        subprocess.run(["git", "init", "-q", str(root)], check=True)


def main() -> None:
    out = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    write_kokom(out / "kokom", n)
    write_doorstop(out / "doorstop", n)
    print(f"wrote {n} requirements to {out}/kokom and {out}/doorstop")


if __name__ == "__main__":
    main()
