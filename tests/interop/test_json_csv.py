"""The canonical JSON validates against schema/, and CSV reads the same in
Python's csv module and in pandas."""

import csv
import io
import json

import jsonschema
import pandas as pd
import pytest

from conftest import ROOT, inverted, paper_export

HEADER = [
    "id", "type", "title", "authors", "year", "venue", "volume", "number", "pages",
    "publisher", "doi", "arxiv", "url", "tags", "question", "note",
]


def schema_validator():
    schema = json.loads((ROOT / "schema" / "collection.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_builtin_json_validates_against_schema(builtin):
    errors = list(schema_validator().iter_errors(builtin))
    assert errors == []
    assert len(builtin["papers"]) == 48
    assert builtin["schema_version"] == "1.0"
    assert builtin["title"] == "Famous Deep Learning Papers"


def test_schema_rejects_what_the_model_rejects(builtin):
    validator = schema_validator()
    bad = json.loads(json.dumps(builtin))
    bad["papers"][0]["doi"] = "https://doi.org/10.1/x"
    bad["papers"][1]["month"] = 13
    bad["papers"][2]["titel"] = "typo"
    del bad["papers"][3]["title"]
    messages = [e.message for e in validator.iter_errors(bad)]
    assert len(messages) == 4, messages


def test_hostile_json_round_trips_and_validates(hostile_path, hostile):
    out = json.loads(paper_export(hostile_path, "--format", "json"))
    assert list(schema_validator().iter_errors(out)) == []
    assert out == hostile


def expected_row(paper, lang="en"):
    def guard(cell):
        return "'" + cell if cell.lstrip("'")[:1] in ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠") else cell

    text = lambda key: (paper.get(key) or {}).get(lang) or (paper.get(key) or {}).get("en", "")
    row = [
        paper.get("id", ""), paper["type"], paper["title"],
        "; ".join(inverted(a) for a in paper.get("authors", [])), str(paper["year"]),
        paper.get("venue", ""), paper.get("volume", ""), paper.get("number", ""),
        paper.get("pages", ""), paper.get("publisher", ""), paper.get("doi", ""),
        paper.get("arxiv", ""), paper.get("url", ""), "; ".join(paper.get("tags", [])),
        text("question"), text("note"),
    ]
    return [cell if i == 4 else guard(cell) for i, cell in enumerate(row)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_builtin_csv_reads_the_same_in_csv_and_pandas(builtin, lang):
    data = paper_export("--format", "csv", "--lang", lang)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[0] == HEADER
    assert len(rows) == 49
    for row, paper in zip(rows[1:], builtin["papers"]):
        assert row == expected_row(paper, lang)

    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    assert list(frame.columns) == HEADER
    assert frame.shape == (48, 16)
    assert frame.values.tolist() == rows[1:]


def test_hostile_csv_is_safe_and_faithful(hostile_path, hostile):
    data = paper_export(hostile_path, "--format", "csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(rows) == 1 + len(hostile["papers"])
    for row, paper in zip(rows[1:], hostile["papers"]):
        assert row == expected_row(paper)
    formula = rows[3]
    assert formula[2].startswith("'=HYPERLINK")
    assert formula[5] == "'@SUM(1+1)"
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    assert frame.values.tolist() == rows[1:]

    raw = paper_export(hostile_path, "--format", "csv", "--csv-raw", "--bom")
    assert raw.startswith(b"\xef\xbb\xbf")
    raw_rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert raw_rows[3][2] == hostile["papers"][2]["title"]


def test_tsv_reads_in_pandas(builtin):
    data = paper_export("--format", "tsv")
    frame = pd.read_csv(io.BytesIO(data), sep="\t", dtype=str, keep_default_na=False)
    assert frame.shape == (48, 16)
    assert frame["title"].tolist() == [p["title"] for p in builtin["papers"]]
