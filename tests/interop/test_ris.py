"""RIS: every line is `XX  - value` with CRLF, Python's rispy reads every
record with the right type, authors, year, DOI and title, and the reader
takes a real Scopus export whole."""

import json
import re

import pytest
import rispy

from conftest import SHARED, paper_export

SCOPUS = SHARED / "corpus" / "synthesisr_scopus.ris"
TY = {
    "article": "JOUR", "inproceedings": "CPAPER", "incollection": "CHAP", "book": "BOOK",
    "phdthesis": "THES", "techreport": "RPRT", "preprint": "UNPB", "misc": "GEN",
}
TAG_LINE = re.compile(r"^[A-Z][A-Z0-9]  - \S.*$|^ER  - $")


def ris_name(author):
    """`Family, Given` as the RIS writer puts it: particle first, suffix last."""
    if "literal" in author:
        name = author["literal"]
        return name + "," if "," in name else name
    name = " ".join(x for x in (author.get("particle"), author["family"]) if x)
    if author.get("given") or author.get("suffix"):
        name += ", " + author.get("given", "")
    if author.get("suffix"):
        name += ", " + author["suffix"]
    return name


def read_rispy(data):
    return rispy.loads(data.decode("utf-8-sig"))


def check_lines(data):
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    records = data.decode("utf-8").split("\r\n\r\n")
    assert records[-1] == ""
    for record in records[:-1]:
        lines = record.split("\r\n")
        assert lines[0].startswith("TY  - ")
        assert lines[-1] == "ER  - "
        for line in lines:
            assert TAG_LINE.match(line), line
    return len(records) - 1


def check_record(record, paper, key=None):
    assert record["type_of_reference"] == TY[paper["type"]]
    assert record["id"] == (key or paper["id"])
    assert record["title"] == paper["title"]
    assert record["authors"] == [ris_name(a) for a in paper["authors"]]
    assert record["year"] == str(paper["year"])
    assert record.get("doi") == paper.get("doi")
    if paper.get("venue"):
        assert record["secondary_title"] == paper["venue"]
        if paper["type"] in ("article", "inproceedings"):
            assert record["journal_name"] == paper["venue"]
        else:
            assert "journal_name" not in record
    assert record.get("keywords", []) == paper.get("tags", [])
    month = f"{paper['month']:02}" if "month" in paper else ""
    day = f"{paper['day']:02}" if "day" in paper else ""
    assert record["date"] == f"{paper['year']}/{month}/{day}/"


def test_builtin_lines_and_rispy(builtin):
    data = paper_export("--format", "ris")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert check_lines(data) == 48
    records = read_rispy(data)
    assert len(records) == 48
    for record, paper in zip(records, builtin["papers"]):
        check_record(record, paper)
        notes = [" ".join(("Question: " + paper["question"]["en"]).split()),
                 " ".join(paper["note"]["en"].split())]
        assert record["notes"] == notes
        if "pages" in paper:
            pages = record["start_page"] + ("-" + record["end_page"] if "end_page" in record else "")
            assert pages == paper["pages"]
        if "arxiv" in paper:
            assert record["accession_number"] == "arXiv:" + paper["arxiv"]


def test_bom_and_language(builtin):
    data = paper_export("--format", "ris", "--bom", "--lang", "zh")
    assert data.startswith(b"\xef\xbb\xbfTY  - ")
    assert data.count(b"\xef\xbb\xbf") == 1
    records = read_rispy(data)
    assert len(records) == 48
    assert records[0]["notes"][0] == "Question: " + builtin["papers"][0]["question"]["zh"]


def test_hostile_reads_in_rispy(hostile_path, hostile):
    data = paper_export(hostile_path, "--format", "ris")
    assert check_lines(data) == 6
    records = read_rispy(data)
    keys = ["script2020", "percent2019more", "smith2021hyperlink",
            "muller2018deep", "muller2018deepa", "cjk2017"]
    for record, paper, key in zip(records, hostile["papers"], keys):
        check_record(record, paper, key)
    # Control characters and tabs became spaces; the value stayed on one line.
    assert records[1]["notes"][1] == (
        "A control character ( ) and a tab here must not break XML or CSV.")
    assert records[1]["authors"][3] == "King, Martin Luther, Jr."


def test_round_trip_keeps_the_builtin_collection(builtin):
    data = paper_export("--format", "ris")
    back = json.loads(paper_export("--from", "ris", "-", "--format", "json", stdin=data))
    assert len(back["papers"]) == 48
    for got, want in zip(back["papers"], builtin["papers"]):
        want = dict(want)
        for key in ("question", "note"):
            want[key] = {"en": want[key]["en"]}
        assert got == want


@pytest.mark.skipif(not SCOPUS.exists(), reason="../shared/corpus is not here")
def test_reads_the_scopus_export_completely():
    report = paper_export("validate", "--from", "ris", SCOPUS).decode()
    assert report.strip().endswith("92 papers, ok")
    papers = json.loads(paper_export(SCOPUS, "--format", "json"))["papers"]
    with open(SCOPUS, encoding="utf-8") as f:
        records = rispy.load(f)
    assert len(papers) == len(records) == 92
    for paper, record in zip(papers, records):
        expected = {"JOUR": "article", "CHAP": "incollection"}.get(
            record["type_of_reference"], "misc")
        assert paper["type"] == expected
        assert paper["title"] == record["title"]
        assert paper["year"] == int(record["year"])
        assert paper.get("doi") == record.get("doi")
        assert len(paper["authors"]) == len(record.get("authors", []))
        assert paper.get("tags", []) == record.get("keywords", [])
        assert paper["venue"] == record["secondary_title"]
        extra = paper["extra"]
        assert extra["DB"] == "Scopus"
        if expected == "misc":
            assert extra["ris-type"] == record["type_of_reference"]
        if "abstract" in record:
            assert extra["abstract"] == record["abstract"]
        if "author_address" in record:  # rispy keeps the first AD
            assert extra["AD"].split("\n")[0] == record["author_address"]
        assert paper["note"]["en"].split("\n") == record["notes"]
        assert extra["M3"] == record["type_of_work"]
    # RIS written again from what was read keeps the Scopus tags.
    again = paper_export(SCOPUS, "--format", "ris")
    assert check_lines(again) == 92
    again_records = read_rispy(again)
    for record, original in zip(again_records, records):
        for key in ("title", "authors", "year", "doi", "keywords", "abstract", "volume",
                    "number", "start_page", "end_page", "notes", "urls", "author_address",
                    "type_of_work", "name_of_database", "custom7", "secondary_title"):
            assert record.get(key) == original.get(key), key
