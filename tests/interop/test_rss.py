"""RSS 2.0 and Atom 1.0 feeds, read by feedparser (the parser behind many
feed readers) and checked for well-formedness by xmllint."""

import html.parser
import re
import subprocess
import time
import urllib.parse

import feedparser
import pytest

from conftest import paper_export

FORMATS = [("rss", "rss20"), ("atom", "atom10")]

# Characters XML 1.0 forbids: the writers remove them, so they cannot come back.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# RFC 3986 unreserved and sub-delims, ":", "@" and "/": kept as they are in
# the DOI and arXiv parts of a link; everything else is percent-encoded.
URI_SAFE = "-._~!$&'()*+,;=:@/"


def model_link(paper):
    """The link the writers give: DOI link, else url, else arXiv page."""
    if paper.get("doi"):
        return "https://doi.org/" + urllib.parse.quote(paper["doi"], safe=URI_SAFE)
    if paper.get("url"):
        return paper["url"]
    if paper.get("arxiv"):
        return "https://arxiv.org/abs/" + urllib.parse.quote(paper["arxiv"], safe=URI_SAFE)
    return None


def is_east_asian(name):
    c = ord(name[:1] or " ")
    return (0x3040 <= c <= 0x30FF or 0x3400 <= c <= 0x4DBF or 0x4E00 <= c <= 0x9FFF
            or 0xAC00 <= c <= 0xD7AF or 0xF900 <= c <= 0xFAFF or 0x20000 <= c <= 0x2FA1F)


def display_name(author):
    """Given names first; Chinese, Japanese and Korean names family first, unspaced."""
    if "literal" in author:
        return author["literal"]
    if is_east_asian(author["family"]):
        return author["family"] + author.get("given", "")
    name = " ".join(x for x in (author.get("given"), author.get("particle"), author["family"]) if x)
    if author.get("suffix"):
        name += ", " + author["suffix"]
    return name


def newest_first(papers):
    """The default order of both feeds; Python's sort is stable like Rust's."""
    key = lambda p: (p.get("year") is not None, p.get("year") or 0, p.get("month") or 0, p.get("day") or 0)
    return sorted(papers, key=key, reverse=True)


def text(paper, field, lang="en"):
    values = paper.get(field) or {}
    return values.get(lang) or values.get("en")


class Paragraphs(html.parser.HTMLParser):
    """The text of each <p> of a summary, with character references resolved."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.inside = True
            self.paragraphs.append("")

    def handle_endtag(self, tag):
        if tag == "p":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.paragraphs[-1] += data


def labelled(summary, label):
    """The text after `label` in the summary's paragraph that starts with it."""
    parser = Paragraphs()
    parser.feed(summary)
    parser.close()
    found = [p[len(label):] for p in parser.paragraphs if p.startswith(label)]
    assert len(found) <= 1, found
    return found[0] if found else None


def parse(data):
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def xmllint(data):
    proc = subprocess.run(["xmllint", "--noout", "-"], input=data, capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")


@pytest.mark.parametrize("fmt,version", FORMATS)
def test_builtin_feed_reads_in_feedparser(builtin, fmt, version):
    data = paper_export("--format", fmt, "--feed-url", f"https://example.org/papers.{fmt}")
    xmllint(data)
    feed = parse(data)
    assert feed.version == version
    assert feed.feed.title == "Famous Deep Learning Papers"
    assert feed.feed.link == "https://papers.baulab.info/"
    assert any(l.get("rel") == "self" and l["href"] == f"https://example.org/papers.{fmt}" for l in feed.feed.links)
    # Without SOURCE_DATE_EPOCH the feed is dated by its newest paper.
    assert feed.feed.updated_parsed[:3] == (2022, 1, 1)

    papers = newest_first(builtin["papers"])
    assert len(feed.entries) == 48
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == 48
    for entry, paper in zip(feed.entries, papers):
        assert entry.title == paper["title"]
        link = model_link(paper)
        if link is not None:
            assert entry.link == link
        elif fmt == "rss":
            assert "link" not in entry
        else:
            # feedparser copies an Atom entry's id into `link` when the
            # entry has no link of its own (its RSS guid heuristic).
            assert entry.link == entry.id
        if paper.get("doi"):
            assert entry.id == link
        else:
            assert entry.id == "tag:paper-export,2026:" + paper["id"]
        assert entry.published_parsed.tm_year == paper["year"]
        assert entry.published_parsed.tm_mon == paper.get("month", 1)
        assert entry.published_parsed.tm_mday == paper.get("day", 1)
        assert [a["name"] for a in entry.authors] == [display_name(a) for a in paper["authors"]]
        assert [t["term"] for t in entry.tags] == paper["tags"]
        assert labelled(entry.summary, "Question: ") == text(paper, "question")
        assert labelled(entry.summary, "Note: ") == text(paper, "note")


@pytest.mark.parametrize("fmt,version", FORMATS)
def test_builtin_feed_in_chinese(builtin, fmt, version):
    data = paper_export("--format", fmt, "--lang", "zh", "-q")
    xmllint(data)
    feed = parse(data)
    assert feed.feed.title == "著名深度学习论文"
    for entry, paper in zip(feed.entries, newest_first(builtin["papers"])):
        assert labelled(entry.summary, "问题：") == text(paper, "question", "zh")
        assert labelled(entry.summary, "笔记：") == text(paper, "note", "zh")


@pytest.mark.parametrize("fmt,version", FORMATS)
def test_source_date_epoch_dates_the_feed(fmt, version):
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    feed = parse(paper_export("--format", fmt, "-q", env=env))
    assert feed.feed.updated_parsed == time.gmtime(1700000000)
    assert paper_export("--format", fmt, "-q", env=env) == paper_export("--format", fmt, "-q", env=env)


@pytest.mark.parametrize("fmt,version", FORMATS)
def test_hostile_fixture_comes_through_exactly(hostile_path, hostile, fmt, version):
    data = paper_export(hostile_path, "--format", fmt, "-q")
    xmllint(data)
    feed = parse(data)
    assert feed.version == version
    assert feed.feed.title == hostile["title"]
    papers = newest_first(hostile["papers"])
    assert len(feed.entries) == len(papers) == 6
    assert len({e.id for e in feed.entries}) == 6
    for entry, paper in zip(feed.entries, papers):
        # Titles are plain text: feedparser gives back exactly the model's.
        assert entry.title == paper["title"]
        assert entry.published_parsed.tm_year == paper["year"]
        link = model_link(paper)
        if link is not None:
            assert entry.link == link
        assert [a["name"] for a in entry.authors] == [display_name(a) for a in paper["authors"]]
        assert [t["term"] for t in entry.tags] == paper["tags"]
        # Question and note are HTML-escaped text inside the HTML summary:
        # read as HTML, they are the model's text, minus the characters XML
        # forbids (the note's U+0007).
        for field, label in (("question", "Question: "), ("note", "Note: ")):
            expected = text(paper, field)
            got = labelled(entry.summary, label)
            assert got == (FORBIDDEN.sub("", expected) if expected else None), field
        # Without a DOI the id is a tag: URI, from the paper id or a hash.
        if not paper.get("doi"):
            suffix = paper.get("id") or "hash/"
            assert entry.id.startswith("tag:paper-export,2026:" + suffix)

    script = next(e for e in feed.entries if e.title.startswith("<script>"))
    assert script.link == "https://doi.org/10.1000/xyz_123%3C%3E"
    note = labelled(script.summary, "Note: ")
    assert "<i>not italic</i>, &amp; stays as typed, and ]]> must not" in note
    bell = next(e for e in feed.entries if e.title.startswith("50%"))
    assert labelled(bell.summary, "Note: ") == "A control character () and a tab\there must not break XML or CSV."


@pytest.mark.parametrize("fmt,version", FORMATS)
def test_limit_and_feed_flags_in_feedparser(fmt, version):
    feed = parse(
        paper_export(
            "--format", fmt, "--limit", "3",
            "--feed-title", "Reading <list> & more",
            "--feed-link", "https://example.org/list?a=1&b=2",
            "--feed-description", "Three papers",
            "--feed-url", "https://example.org/feed",
        )
    )
    assert len(feed.entries) == 3
    assert feed.feed.title == "Reading <list> & more"
    assert feed.feed.link == "https://example.org/list?a=1&b=2"
    assert feed.feed.subtitle == "Three papers"
    assert [e.published_parsed.tm_year for e in feed.entries] == [2022, 2022, 2021]
