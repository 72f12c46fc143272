"""CSL-JSON: the official schema accepts it, pandoc and citeproc-py read every
item with the same titles, authors and years, and the reader takes a real
Manubot export whole."""

import json
import re
import subprocess
import warnings

import jsonschema
import pytest

from conftest import SHARED, paper_export

SCHEMA = SHARED / "schemas" / "csl-data.json"
DEEP_REVIEW = SHARED / "corpus" / "deep_review_references.json"
INLINE_TAG = re.compile(r"</?(i|b|sup|sub|span)( [^<>]*)?>")


def csl(*args):
    return json.loads(paper_export(*args, "--format", "csl-json"))


def plain(title):
    """A title as a CSL processor shows it: inline HTML is markup."""
    return INLINE_TAG.sub("", title)


def words(text):
    return " ".join(text.split())


@pytest.fixture(scope="module")
def builtin_csl():
    return csl()


@pytest.fixture(scope="module")
def hostile_csl(hostile_path):
    return csl(hostile_path)


@pytest.mark.skipif(not SCHEMA.exists(), reason="../shared/schemas/csl-data.json is not here")
@pytest.mark.parametrize("which", ["builtin", "hostile"])
def test_validates_against_the_official_schema(which, builtin_csl, hostile_csl):
    items = builtin_csl if which == "builtin" else hostile_csl
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    errors = [f"{list(e.path)}: {e.message}" for e in cls(schema).iter_errors(items)]
    assert errors == []
    assert len(items) == (48 if which == "builtin" else 6)


def test_items_carry_the_model(builtin_csl, builtin):
    papers = builtin["papers"]
    assert [i["id"] for i in builtin_csl] == [p["id"] for p in papers]
    assert len({i["id"] for i in builtin_csl}) == 48
    for item, paper in zip(builtin_csl, papers):
        assert item["citation-key"] == item["id"]
        assert item["title"] == paper["title"]
        assert item["issued"]["date-parts"][0][0] == paper["year"]
        assert len(item["author"]) == len(paper["authors"])
        for name, author in zip(item["author"], paper["authors"]):
            if "literal" in author:
                assert name == {"literal": author["literal"]}
            else:
                assert name["family"] == author["family"]
                assert name.get("given") == author.get("given")
                assert name.get("non-dropping-particle") == author.get("particle")
        assert item.get("DOI") == paper.get("doi")
        assert item["keyword"] == ", ".join(paper["tags"])
        assert item["note"].startswith(paper["question"]["en"] + "\n\n")
        assert item["note"].endswith(paper["note"]["en"])
        for value in item.values():
            assert value not in (None, "", [], {})
    types = {i["type"] for i in builtin_csl}
    assert types == {"article-journal", "paper-conference", "book", "chapter", "article", "report"}


def test_hostile_keys_are_unique_and_ascii(hostile_csl):
    ids = [i["id"] for i in hostile_csl]
    assert ids == [
        "script2020", "percent2019more", "smith2021hyperlink",
        "muller2018deep", "muller2018deepa", "cjk2017",
    ]
    second = hostile_csl[1]
    assert second["author"][2] == {
        "family": "Driessche", "given": "George", "non-dropping-particle": "van den",
    }
    assert second["author"][3]["suffix"] == "Jr."
    assert second["custom"]["authors-truncated"] is True
    assert hostile_csl[5]["custom"]["arxiv"] == "1712.00001"
    assert hostile_csl[0]["issued"] == {"date-parts": [[2020, 2, 29]]}


# --- pandoc -------------------------------------------------------------------

LATEX_SYMBOLS = {
    "textless": "<", "textgreater": ">", "textbackslash": "\\", "textasciitilde": "~",
    "textasciicircum": "^",
}


def latex_to_text(value):
    """Undoes pandoc's LaTeX escaping closely enough to compare text."""
    value = re.sub(
        r"\\(textless|textgreater|textbackslash|textasciitilde|textasciicircum)(\{\}|\s+)?",
        lambda m: LATEX_SYMBOLS[m.group(1)], value)
    value = re.sub(r"\\(textbf|emph|textit|textsuperscript|textsubscript)\{", "{", value)
    value = value.replace("\\^{}", "^")
    escaped = {"{": "\ue000", "}": "\ue001"}
    value = re.sub(r"\\([&%$#_{}])", lambda m: escaped.get(m.group(1), m.group(1)), value)
    value = value.replace("{", "").replace("}", "")
    value = value.replace("\ue000", "{").replace("\ue001", "}")
    value = value.replace("“", '"').replace("”", '"').replace("’", "'")
    return words(value)


def biblatex_entries(text):
    """`{key: {field: value}}` from pandoc's biblatex output."""
    entries = {}
    for match in re.finditer(r"^@(\w+)\{([^,\n]+),\n(.*?)\n\}$", text, re.M | re.S):
        fields = {}
        body = match.group(3)
        for field in re.finditer(r"^  (\w+) = \{", body, re.M):
            depth, i = 1, field.end()
            while depth:
                if body[i] == "\\":
                    i += 2
                    continue
                depth += {"{": 1, "}": -1}.get(body[i], 0)
                i += 1
            fields[field.group(1)] = body[field.end():i - 1]
        entries[match.group(2)] = {"type": match.group(1), **fields}
    return entries


def name_tokens(name):
    return sorted(latex_to_text(name).replace(",", " ").split())


@pytest.mark.parametrize("which", ["builtin", "hostile"])
def test_pandoc_reads_every_item(which, builtin, hostile, hostile_path):
    papers = (builtin if which == "builtin" else hostile)["papers"]
    data = paper_export(*([] if which == "builtin" else [hostile_path]), "--format", "csl-json")
    out = subprocess.run(
        ["pandoc", "-f", "csljson", "-t", "biblatex"], input=data, capture_output=True, check=True,
    ).stdout.decode("utf-8")
    entries = biblatex_entries(out)
    items = json.loads(data)
    assert list(entries) == [i["id"] for i in items]
    assert len(entries) == len(papers)
    for (key, entry), paper in zip(entries.items(), papers):
        assert latex_to_text(entry["title"]).lower() == words(plain(paper["title"])).lower(), key
        names = words(entry["author"]).split(" and ")
        assert [name_tokens(n) for n in names] == [
            sorted(" ".join(
                a.get(k, "") for k in ("literal", "given", "particle", "family", "suffix")
            ).split())
            for a in paper["authors"]
        ], key
        assert entry["date"].startswith(str(paper["year"])), key


# --- citeproc-py --------------------------------------------------------------

def test_citeproc_py_renders_all_48_with_titles_and_years(builtin_csl):
    from citeproc import (Citation, CitationItem, CitationStylesBibliography,
                          CitationStylesStyle, formatter)
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        # citeproc-py warns about variables it does not use (custom, citation-key).
        warnings.simplefilter("ignore")
        source = CiteProcJSON(builtin_csl)
        style = CitationStylesStyle("harvard-cite-them-right", validate=False)
        bibliography = CitationStylesBibliography(style, source, formatter.plain)
        for item in builtin_csl:
            bibliography.register(Citation([CitationItem(item["id"])]))
        entries = [str(e) for e in bibliography.bibliography()]
    assert len(entries) == 48
    for item in builtin_csl:
        title = item["title"].replace("'", "’")
        found = [e for e in entries if item["title"] in e or title in e]
        assert len(found) == 1, item["title"]
        assert f"({item['issued']['date-parts'][0][0]})" in found[0]


# --- the reader on real data --------------------------------------------------

def test_round_trip_through_json_keeps_the_builtin_collection(builtin):
    data = paper_export("--format", "csl-json")
    back = json.loads(paper_export("--from", "csl-json", "-", "--format", "json", stdin=data))
    assert len(back["papers"]) == 48
    for got, want in zip(back["papers"], builtin["papers"]):
        want = dict(want)
        for key in ("question", "note"):
            want[key] = {"en": want[key]["en"]}
        assert got == want


@pytest.mark.skipif(not DEEP_REVIEW.exists(), reason="../shared/corpus is not here")
def test_reads_the_deep_review_export_completely():
    report = paper_export("validate", "--from", "csl-json", DEEP_REVIEW, expect=1).decode()
    # 615 items read; the only errors are the model's: one item has no title.
    assert report.rstrip().endswith("615 papers, 8 problem(s)")
    assert report.count("missing title") == 1
    assert report.count("missing year") == 7
    out = json.loads(paper_export(
        DEEP_REVIEW, "--from", "csl-json", "--format", "json", "--keep-going", "-q", expect=1))
    papers = out["papers"]
    assert len(papers) == 614
    source = [i for i in json.loads(DEEP_REVIEW.read_text(encoding="utf-8")) if i.get("title")]
    assert [p["id"] for p in papers] == [i["id"] for i in source]
    for paper, item in zip(papers, source):
        assert len(paper.get("authors", [])) == len(item.get("author", []))
        assert "<i>" not in paper["title"] and "<sup>" not in paper["title"]
    by_id = {p["id"]: p for p in papers}
    literal = [p for p in papers if any("literal" in a for a in p.get("authors", []))]
    assert len(literal) > 0
    assert by_id["3qm8sXnB"]["type"] == "preprint"
    assert by_id["3qm8sXnB"]["arxiv"] == "1106.5730"
    assert sum(1 for p in papers if "abstract" in p.get("extra", {})) == 213


@pytest.mark.skipif(not (SCHEMA.exists() and DEEP_REVIEW.exists()), reason="../shared is not here")
def test_real_exports_written_again_validate_and_read_in_pandoc():
    scopus = SHARED / "corpus" / "synthesisr_scopus.ris"
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    for args, count in [
        ((DEEP_REVIEW, "--from", "csl-json", "--keep-going", "-q"), 614),
        ((scopus,), 92),
    ]:
        data = paper_export(*args, "--format", "csl-json", expect=1 if count == 614 else 0)
        items = json.loads(data)
        assert len(items) == count
        assert list(validator.iter_errors(items)) == []
        out = subprocess.run(["pandoc", "-f", "csljson", "-t", "biblatex"], input=data,
                             capture_output=True, check=True).stdout.decode("utf-8")
        assert list(biblatex_entries(out)) == [i["id"] for i in items]
    # Variables the model has no field for come back under their own names.
    original = [i for i in json.loads(DEEP_REVIEW.read_text(encoding="utf-8")) if i.get("title")]
    again = json.loads(paper_export(DEEP_REVIEW, "--from", "csl-json", "--format", "csl-json",
                                    "--keep-going", "-q", expect=1))
    for before, after in zip(original, again):
        for key in ("abstract", "PMID", "PMCID", "ISSN", "source", "publisher-place", "DOI"):
            assert before.get(key) == after.get(key), key
        assert len(before.get("author", [])) == len(after.get("author", []))


@pytest.mark.skipif(not (SHARED / "corpus" / "biber_examples.bib").exists(),
                    reason="../shared/corpus is not here")
def test_reads_what_pandoc_exports():
    data = subprocess.run(
        ["pandoc", "-f", "biblatex", "-t", "csljson", SHARED / "corpus" / "biber_examples.bib"],
        capture_output=True, check=True).stdout
    count = len(json.loads(data))
    report = paper_export("validate", "--from", "csl-json", "-", stdin=data, expect=1).decode()
    lines = report.strip().split("\n")
    assert lines[-1] == f"-: {count} papers, {len(lines) - 1} problem(s)"
    assert count == 132
    # Every problem is the model's judgement of a paper, never a read error.
    assert all(re.match(r"<stdin>:\d+:\d+: paper #\d+", line) for line in lines[:-1])
