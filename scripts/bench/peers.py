"""Peer programs and record counters for scripts/bench.sh.

    peers.py bibtexparser IN.bib OUT.bib    parse and write with bibtexparser v2
    peers.py genanki IN.jsonl OUT.apkg      build a deck of one note per record
    peers.py count FORMAT FILE              print the number of records in FILE
    peers.py builtin BINARY FORMAT...       median wall time of the built-in collection per format
"""

import csv
import json
import sqlite3
import sys
import tempfile
import zipfile


def run_bibtexparser(src, dst):
    import bibtexparser

    library = bibtexparser.parse_file(src)
    bibtexparser.write_file(dst, library)


def run_genanki(src, dst):
    import genanki

    model = genanki.Model(
        1607392319,
        "Benchmark paper",
        fields=[{"name": n} for n in ("Key", "Question", "Title", "Authors", "Year", "Note")],
        templates=[
            {
                "name": "Question",
                "qfmt": "{{Question}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Title}}<br>{{Authors}} ({{Year}})<br>{{Note}}",
            }
        ],
    )
    deck = genanki.Deck(2059400110, "Benchmark")
    with open(src, encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            authors = "; ".join(
                a.get("literal") or f"{a['family']}, {a.get('given', '')}" for a in p.get("authors", [])
            )
            fields = [
                p.get("id", ""),
                (p.get("question") or {}).get("en", ""),
                p["title"],
                authors,
                str(p.get("year", "")),
                (p.get("note") or {}).get("en", ""),
            ]
            deck.add_note(genanki.Note(model=model, fields=fields, guid=genanki.guid_for(p.get("id", ""))))
    genanki.Package(deck).write_to_file(dst)


def count(fmt, path):
    if fmt in ("json",):
        with open(path, encoding="utf-8") as f:
            return len(json.load(f)["papers"])
    if fmt in ("csl-json",):
        with open(path, encoding="utf-8") as f:
            return len(json.load(f))
    if fmt == "jsonl":
        with open(path, encoding="utf-8") as f:
            return sum(1 for line in f if line.strip())
    if fmt == "csv":
        with open(path, encoding="utf-8", newline="") as f:
            return sum(1 for _ in csv.reader(f)) - 1
    if fmt in ("bibtex", "biblatex"):
        with open(path, encoding="utf-8") as f:
            return sum(1 for line in f if line.startswith("@") and not line.lower().startswith(("@comment", "@string", "@preamble")))
    if fmt == "anki":
        with zipfile.ZipFile(path) as z, tempfile.TemporaryDirectory() as tmp:
            name = "collection.anki21" if "collection.anki21" in z.namelist() else "collection.anki2"
            z.extract(name, tmp)
            con = sqlite3.connect(f"{tmp}/{name}")
            (n,) = con.execute("select count(*) from notes").fetchone()
            con.close()
            return n
    raise SystemExit(f"unknown format {fmt}")


def builtin(binary, formats):
    import statistics
    import subprocess
    import time

    print("| built-in collection → | median ms (30 runs) | max ms |")
    print("|---|---:|---:|")
    for fmt in formats:
        times = []
        for _ in range(30):
            start = time.perf_counter()
            subprocess.run([binary, "-q", "-f", fmt], stdout=subprocess.DEVNULL, check=True)
            times.append((time.perf_counter() - start) * 1000)
        print(f"| {fmt} | {statistics.median(times):.1f} | {max(times):.1f} |")


def main():
    cmd, *args = sys.argv[1:]
    if cmd == "bibtexparser":
        run_bibtexparser(*args)
    elif cmd == "genanki":
        run_genanki(*args)
    elif cmd == "count":
        print(count(*args))
    elif cmd == "builtin":
        builtin(args[0], args[1:])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
