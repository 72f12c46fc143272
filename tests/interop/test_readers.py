"""Readers: what real clients write (Python's csv and json modules, pandas,
tabulate's Markdown tables) reads back to the same papers, and the shared
seed list and corpus README read as they are written."""

import csv
import io
import json
import re

import pandas as pd
import pytest

from conftest import SHARED, paper_export

CSV_FIELDS = [
    "id", "type", "title", "authors", "year", "venue", "volume", "number", "pages",
    "publisher", "doi", "arxiv", "url", "tags", "question", "note",
]
SEED = SHARED / "seed" / "famous-deep-learning-papers.zh.md"
LLM = SHARED / "corpus" / "awesome_llm_readme.md"


def display(author):
    """A name in reading order, as the model's display_name gives it."""
    if "literal" in author:
        return author["literal"]
    name = " ".join(x for x in (author.get("given"), author.get("particle"), author["family"]) if x)
    if author.get("suffix"):
        name += ", " + author["suffix"]
    return name


def text_in(text, lang="en"):
    text = text or {}
    found = text.get(lang) or text.get("en") or next(iter(text.values()), "")
    return found


def csv_kept(paper, lang="en"):
    """The fields CSV carries, as the CSV reader gives them back in JSON."""
    kept = {k: v for k, v in paper.items() if k in CSV_FIELDS and k not in ("question", "note")}
    for key in ("question", "note"):
        value = text_in(paper.get(key), lang)
        if value:
            kept[key] = {lang: value}
    return kept


def read_json(*args):
    return json.loads(paper_export(*args, "--format", "json"))


def test_csv_rewritten_by_python_csv_module_reads_back(tmp_path, builtin):
    rows = list(csv.DictReader(io.StringIO(paper_export("--format", "csv").decode("utf-8"), newline="")))
    assert len(rows) == 48
    # Columns in reverse order, every cell quoted, CRLF, a BOM and one more column.
    path = tmp_path / "python.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        fields = ["shelf"] + CSV_FIELDS[::-1]
        writer = csv.DictWriter(f, fieldnames=fields, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writeheader()
        for i, row in enumerate(rows):
            writer.writerow({**row, "shelf": f"box {i}"})
    out = read_json(path, "--input-lang", "en")
    expected = [
        {**csv_kept(p), "extra": {"shelf": f"box {i}"}} for i, p in enumerate(builtin["papers"])
    ]
    assert out["papers"] == expected


def test_hostile_csv_through_pandas_reads_back(tmp_path, hostile_path, hostile):
    frame = pd.read_csv(
        io.BytesIO(paper_export(hostile_path, "--format", "csv")), dtype=str, keep_default_na=False
    )
    assert frame.shape == (6, 16)
    for sep, name in ((",", "pandas.csv"), ("\t", "pandas.tsv")):
        path = tmp_path / name
        frame.to_csv(path, index=False, sep=sep)
        out = read_json(path, "--input-lang", "en")
        assert out["papers"] == [csv_kept(p) for p in hostile["papers"]]
    # The formula guard is gone again, but only where the writer put it.
    assert out["papers"][2]["title"] == '=HYPERLINK("http://evil.example/","click")'
    assert out["papers"][2]["tags"] == ["-negative", "+plus"]
    assert out["papers"][1]["authors"][3] == {"family": "King", "given": "Martin Luther", "suffix": "Jr."}
    assert out["papers"][1]["authors"][2]["particle"] == "van den"
    assert out["papers"][0]["authors"][2] == {"family": "何", "given": "恺明"}


def test_hostile_csv_in_chinese_reads_back_in_chinese(tmp_path, hostile_path, hostile):
    path = tmp_path / "zh.csv"
    path.write_bytes(paper_export(hostile_path, "--format", "csv", "--lang", "zh"))
    out = read_json(path, "--input-lang", "zh")
    assert out["papers"] == [csv_kept(p, "zh") for p in hostile["papers"]]
    # Told by script: the Chinese notes land under zh without the flag.
    auto = read_json(path)
    assert auto["papers"][0]["note"] == {"zh": hostile["papers"][0]["note"]["zh"]}


def test_json_lines_from_python_json_module(tmp_path, hostile_path, hostile, builtin):
    for source in (hostile["papers"], builtin["papers"]):
        path = tmp_path / "python.jsonl"
        with open(path, "w", encoding="utf-8", newline="") as f:
            for paper in source:
                f.write(json.dumps(paper, ensure_ascii=True) + "\r\n")
        assert read_json(path)["papers"] == source
    ours = tmp_path / "ours.jsonl"
    ours.write_bytes(paper_export(hostile_path, "--format", "jsonl"))
    assert [json.loads(line) for line in ours.read_text(encoding="utf-8").splitlines()] == hostile["papers"]
    assert read_json(ours)["papers"] == hostile["papers"]


def test_markdown_table_written_by_tabulate(tmp_path, builtin):
    frame = pd.DataFrame(
        {
            "Year": [p["year"] for p in builtin["papers"]],
            "Authors": [", ".join(display(a) for a in p["authors"]) for p in builtin["papers"]],
            "Title": [p["title"] for p in builtin["papers"]],
            "Notes": [p["note"]["en"] for p in builtin["papers"]],
        }
    )
    path = tmp_path / "tabulate.md"
    path.write_text("# Papers\n\n" + frame.to_markdown(index=False, tablefmt="github") + "\n", encoding="utf-8")
    out = read_json(path)["papers"]
    assert len(out) == 48
    for got, paper in zip(out, builtin["papers"]):
        assert got["year"] == paper["year"]
        assert got["title"] == paper["title"]
        assert [display(a) for a in got["authors"]] == [display(a) for a in paper["authors"]]
        assert got["note"] == {"en": paper["note"]["en"]}
    same_ids = sum(got["id"] == paper["id"] for got, paper in zip(out, builtin["papers"]))
    assert same_ids >= 44, same_ids


def seed_rows():
    """The seed's rows, parsed here without paper-export: year, author names, title."""
    rows = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        cells = line.strip().strip("|").split("|")
        if len(cells) != 3 or not re.fullmatch(r"\d{4}", cells[0]):
            continue
        match = re.fullmatch(r"(.*?)，\*(.*)\*", cells[1])
        names = [n.strip() for n in re.split(r"[、和]", match.group(1))]
        rows.append((int(cells[0]), names, match.group(2), cells[2]))
    return rows


@pytest.mark.skipif(not SEED.exists(), reason="needs ../shared/seed")
def test_seed_list_reads_all_48_rows_as_written():
    rows = seed_rows()
    assert len(rows) == 48
    papers = read_json(SEED)["papers"]
    assert len(papers) == 48
    for paper, (year, names, title, note) in zip(papers, rows):
        assert paper["year"] == year
        assert paper["title"] == title
        assert [display(a) for a in paper["authors"]] == names
        assert paper["note"] == {"zh": note}
    assert len({p["id"] for p in papers}) == 48
    assert papers[0]["id"] == "mcculloch1943logical"
    assert papers[0]["authors"] == [
        {"family": "McCulloch", "given": "Warren S."},
        {"family": "Pitts", "given": "Walter"},
    ]

    # As the issue asks: the seed converted to CSV.
    table = list(csv.reader(io.StringIO(paper_export(SEED, "--format", "csv").decode("utf-8"), newline="")))
    assert table[0] == CSV_FIELDS
    assert len(table) == 49
    for row, (year, names, title, _) in zip(table[1:], rows):
        assert row[4] == str(year)
        assert row[2] == title
        assert len(row[3].split("; ")) == len(names)


@pytest.mark.skipif(not LLM.exists(), reason="needs ../shared/corpus")
def test_awesome_llm_readme_reads_its_paper_table():
    expected = []
    for line in LLM.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"\d{4}-\d{2}", cells[0]):
            link = re.fullmatch(r"\[(.*)\]\((.*)\)", cells[3])
            expected.append((cells[0], cells[1], cells[2], link.group(1), link.group(2)))
    assert len(expected) == 62
    papers = read_json(LLM)["papers"]
    assert len(papers) == 62
    for paper, (date, keyword, institute, title, url) in zip(papers, expected):
        assert (paper["year"], paper["month"]) == (int(date[:4]), int(date[5:]))
        assert paper["title"] == title
        assert paper["url"] == url
        assert paper["tags"] == [keyword]
        assert paper["extra"] == {"Institute": institute}
    assert papers[0]["arxiv"] == "1706.03762"
    assert sum("arxiv" in p for p in papers) == sum("arxiv.org/" in e[4] for e in expected)
