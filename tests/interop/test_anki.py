"""Anki decks: the official `anki` package (Anki's own Rust importer) imports
what paper-export writes, in a fresh collection each time.

Expected values are computed here from the input JSON, independently of the
Rust code: fields, tags, GUIDs, card counts, deck names.
"""

import hashlib
import html.parser
import json
import os
import sqlite3
import zipfile

import pytest
from anki.collection import Collection, ImportAnkiPackageRequest, ImportCsvRequest
from anki.import_export_pb2 import (
    IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS,
    ImportAnkiPackageOptions,
)

from conftest import inverted, paper_export

NOTETYPE = "paper-export Paper v1"
FIELDS = ["Key", "Question", "Title", "Authors", "Year", "Venue", "Link", "Note"]
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


# ---------------------------------------------------------------- expectations


def html_text(text):
    """Text as an HTML field: controls dropped, `& < > "` escaped, <br> lines."""
    text = "".join(c for c in text if c in "\t\n\r" or (ord(c) >= 32 and c != "\x7f"))
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        text = text.replace(raw, entity)
    return text.replace("\r\n", "<br>").replace("\r", "<br>").replace("\n", "<br>")


def localized(paper, key, lang):
    texts = paper.get(key) or {}
    for found in (texts.get(lang), texts.get("en"), *(texts[k] for k in sorted(texts))):
        if found is not None:
            return found or ""
    return ""


def link(paper):
    if paper.get("doi"):
        url = "https://doi.org/" + paper["doi"]
    elif paper.get("url"):
        url = paper["url"]
    elif paper.get("arxiv"):
        url = "https://arxiv.org/abs/" + paper["arxiv"]
    else:
        return ""
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{html_text(url)}">{html_text(url)}</a>'
    return html_text(url)


def identity(paper):
    if paper.get("id"):
        return "id:" + paper["id"]
    if paper.get("doi"):
        return "doi:" + paper["doi"].lower()
    if paper.get("arxiv"):
        return "arxiv:" + paper["arxiv"]
    return "title:" + " ".join(paper["title"].lower().split()) + "|" + str(paper.get("year", ""))


def guid(paper):
    seed = b"paper-export\x1f" + NOTETYPE.encode() + b"\x1f" + identity(paper).encode()
    n = int.from_bytes(hashlib.sha1(seed).digest()[:8], "big")
    digits = ""
    for _ in range(11):
        n, d = divmod(n, 62)
        digits = BASE62[d] + digits
    return digits


def expected_fields(paper, lang="en"):
    authors = "; ".join(inverted(a) for a in paper.get("authors", []))
    if paper.get("authors_truncated"):
        authors = authors + "; et al." if authors else "et al."
    return {
        "Key": None,  # the citation key, checked against the CSL-JSON export
        "Question": html_text(localized(paper, "question", lang)),
        "Title": html_text(paper["title"]),
        "Authors": html_text(authors),
        "Year": str(paper.get("year", "")),
        "Venue": html_text(paper.get("venue", "")),
        "Link": link(paper),
        "Note": html_text(localized(paper, "note", lang)),
    }


def expected_tags(paper):
    tags = {"_".join(t.split()) for t in paper.get("tags", []) if t.split()}
    if "year" in paper:
        tags.add(f"{paper['year'] // 10 * 10}s")
    return sorted(tags, key=str.lower)


class Visible(html.parser.HTMLParser):
    """The text a learner sees: entities decoded, no markup, no CSS."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self.hidden += 1
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible(rendered):
    parser = Visible()
    parser.feed(rendered)
    parser.close()
    return "".join(parser.parts)


# ---------------------------------------------------------------- helpers


def export(tmp_path, name, *args, env=None):
    path = tmp_path / name
    paper_export(*args, "-o", path, env=env)
    return path


def fresh_collection(tmp_path, name="collection"):
    folder = tmp_path / name
    folder.mkdir()
    return Collection(str(folder / "collection.anki2"))


def import_apkg(col, path, **options):
    request = ImportAnkiPackageRequest(
        package_path=str(path), options=ImportAnkiPackageOptions(**options)
    )
    return col.import_anki_package(request).log


def import_tsv(col, path):
    metadata = col.get_csv_metadata(str(path), None)
    return col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log


def notes_by_guid(col):
    notes = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        notes[note.guid] = note
    return notes


def package_rows(path):
    """guid -> (sfld, csum) as our package stores them."""
    with zipfile.ZipFile(path) as z:
        data = z.read("collection.anki2")
        assert sorted(z.namelist()) == ["collection.anki2", "media"]
        assert z.read("media") == b"{}"
    db_path = path.with_suffix(".anki2")
    db_path.write_bytes(data)
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("select ver, tags from col").fetchone() == (11, "{}")
        return {g: (s, c) for g, s, c in con.execute("select guid, sfld, csum from notes")}
    finally:
        con.close()


def citation_keys(*args):
    """The citation keys paper-export gives these papers in CSL-JSON."""
    return [item["id"] for item in json.loads(paper_export(*args, "--format", "csl-json"))]


def check_deck(col, papers, deck, lang="en", by_decade=False, keys=None):
    """Every note and card of the imported deck matches its paper. `keys`:
    the expected Key of each paper (default: its id)."""
    notes = notes_by_guid(col)
    assert len(notes) == len(papers)
    keys = keys or [p["id"] for p in papers]
    for paper, key in zip(papers, keys):
        note = notes[guid(paper)]
        assert note.note_type()["name"] == NOTETYPE
        fields = dict(note.items())
        expected = expected_fields(paper, lang)
        del expected["Key"]
        assert fields["Key"] == html_text(key)
        for name in expected:
            assert fields[name] == expected[name], (paper.get("id"), name)
        assert sorted(note.tags, key=str.lower) == expected_tags(paper)
        cards = sorted(note.cards(), key=lambda c: c.ord)
        has_question = bool(expected["Question"])
        assert [c.ord for c in cards] == ([0, 1] if has_question else [1])
        want_deck = deck
        if by_decade and "year" in paper:
            want_deck = f"{deck}::{paper['year'] // 10 * 10}s"
        for card in cards:
            assert col.decks.name(card.did) == want_deck
            question, answer = card.question(), card.answer()
            assert "<script" not in question.lower() and "<script" not in answer.lower()
            front, back = visible(question), visible(answer)
            title = visible(expected["Title"])
            if card.ord == 0:
                assert card.template()["name"] == "Question → Paper"
                assert visible(expected["Question"]) in front
                assert title in back
            else:
                assert card.template()["name"] == "Paper → Why it matters"
                assert title in front and str(paper.get("year", "")) in front
                assert visible(expected["Note"]) in back
    assert len({n["Key"] for n in notes.values()}) == len(papers), "Key must be unique"
    questions = sum(1 for p in papers if expected_fields(p, lang)["Question"])
    assert col.card_count() == len(papers) + questions


# ---------------------------------------------------------------- tests


def test_builtin_deck_imports_with_every_card_rendering(tmp_path, builtin):
    path = export(tmp_path, "famous.apkg")
    col = fresh_collection(tmp_path)
    try:
        log = import_apkg(col, path)
        assert len(log.new) == 48 and not log.updated and not log.conflicting
        assert col.note_count() == 48
        assert col.card_count() == 96
        names = {d.name for d in col.decks.all_names_and_ids()}
        assert names == {"Default", "Famous Deep Learning Papers"}
        check_deck(col, builtin["papers"], "Famous Deep Learning Papers")
        # Our sort field and first-field checksum are what Anki computes.
        ours = package_rows(path)
        theirs = {g: (s, c) for g, s, c in col.db.all("select guid, sfld, csum from notes")}
        assert ours == theirs
    finally:
        col.close()


def test_chinese_cards(tmp_path, builtin):
    path = export(tmp_path, "zh.apkg", "--lang", "zh", "--deck", "论文::深度学习")
    col = fresh_collection(tmp_path)
    try:
        import_apkg(col, path)
        check_deck(col, builtin["papers"], "论文::深度学习", lang="zh")
        assert any("？" in n["Question"] for n in notes_by_guid(col).values())
    finally:
        col.close()


def test_importing_twice_leaves_48_notes(tmp_path):
    path = export(tmp_path, "famous.apkg")
    col = fresh_collection(tmp_path)
    try:
        import_apkg(col, path)
        ids = sorted(col.find_notes(""))
        log = import_apkg(col, path)
        assert not log.new and len(log.duplicate) == 48
        assert col.note_count() == 48 and col.card_count() == 96
        assert sorted(col.find_notes("")) == ids
    finally:
        col.close()


def test_changed_title_updates_the_note_and_keeps_reviews(tmp_path, builtin):
    first = export(tmp_path, "v1.apkg")
    changed = json.loads(json.dumps(builtin))
    target = changed["papers"][0]
    target["title"] = "A Logical Calculus — revised <edition>"
    source = tmp_path / "changed.json"
    source.write_text(json.dumps(changed), encoding="utf-8")
    later = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01, after the default
    second = export(tmp_path, "v2.apkg", source, env=later)
    same_time = export(tmp_path, "v2-same-time.apkg", source)

    col = fresh_collection(tmp_path)
    try:
        import_apkg(col, first)
        note_id = notes_by_guid(col)[guid(target)].id
        # The learner studies the changed paper's first card.
        deck_id = col.decks.id_for_name("Famous Deep Learning Papers")
        col.decks.select(deck_id)
        card = col.sched.getCard()
        assert card.note().guid == guid(target)
        col.sched.answerCard(card, 3)
        reviewed = col.get_card(card.id)
        assert reviewed.reps == 1

        # Same timestamp: Anki keeps what it has unless told to always update.
        log = import_apkg(col, same_time)
        assert not log.updated and not log.new
        assert col.get_note(note_id)["Title"] == html_text(builtin["papers"][0]["title"])

        log = import_apkg(col, second)
        assert not log.new
        assert note_id in {n.id.nid for n in log.updated}
        assert col.note_count() == 48 and col.card_count() == 96
        note = col.get_note(note_id)
        assert note["Title"] == "A Logical Calculus — revised &lt;edition&gt;"
        assert note.guid == guid(target)
        again = col.get_card(card.id)
        assert (again.reps, again.ivl, again.type) == (reviewed.reps, reviewed.ivl, reviewed.type)
        assert col.db.scalar("select count() from revlog where cid = ?", card.id) == 1
    finally:
        col.close()

    # Anki compares modification times even when told to always update: a
    # changed note needs a different timestamp (this is why the docs say to
    # export with a later SOURCE_DATE_EPOCH).
    col = fresh_collection(tmp_path, "always")
    try:
        import_apkg(col, first)
        always = IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS
        log = import_apkg(col, same_time, update_notes=always)
        assert not log.updated and len(log.duplicate) == 48
        log = import_apkg(col, second, update_notes=always)
        assert len(log.updated) == 48 and col.note_count() == 48
        assert notes_by_guid(col)[guid(target)]["Title"].startswith("A Logical Calculus — revised")
    finally:
        col.close()


def test_two_exports_are_byte_identical(tmp_path, hostile_path):
    for args, env in (((), None), ((hostile_path,), {"SOURCE_DATE_EPOCH": "1700000000"})):
        a = export(tmp_path, "a.apkg", *args, env=env).read_bytes()
        b = export(tmp_path, "b.apkg", *args, env=env).read_bytes()
        assert a == b
    c = export(tmp_path, "c.apkg", hostile_path, env={"SOURCE_DATE_EPOCH": "1700000002"})
    assert c.read_bytes() != b


def test_hostile_fixture_shows_text_literally(tmp_path, hostile, hostile_path):
    path = export(tmp_path, "hostile.apkg", hostile_path)
    col = fresh_collection(tmp_path)
    try:
        import_apkg(col, path)
        papers = hostile["papers"]
        # Keys are the citation keys every other format gives these papers.
        keys = citation_keys(hostile_path)
        assert keys[3:5] == ["muller2018deep", "muller2018deepa"]
        check_deck(col, papers, "Hostile <fixture> & \"friends\"", keys=keys)
        note = notes_by_guid(col)[guid(papers[0])]
        cards = sorted(note.cards(), key=lambda c: c.ord)
        front = visible(cards[0].question())
        assert "Does <script> run when the text is shown?" in front
        back = visible(cards[1].answer())
        assert 'alert("x")' in visible(cards[1].question())
        assert "<script>alert(\"x\")</script> & <b>bold</b> claims" in back
        assert "<i>not italic</i>, &amp; stays as typed" in back
        braces = visible(notes_by_guid(col)[guid(papers[1])].cards()[0].question())
        assert "Can {braces}, 100% and \\commands survive every format?" in braces
        titles = {n["Title"] for n in notes_by_guid(col).values()}
        assert "深度残差学习：一个中文标题" in titles
    finally:
        col.close()


def test_hostile_in_chinese_with_decade_subdecks(tmp_path, hostile, hostile_path):
    path = export(tmp_path, "zh.apkg", hostile_path, "--lang", "zh", "--subdeck-by", "decade")
    col = fresh_collection(tmp_path)
    try:
        import_apkg(col, path)
        keys = citation_keys(hostile_path)
        check_deck(col, hostile["papers"], "恶意测试 <集合>", lang="zh", by_decade=True, keys=keys)
        note = notes_by_guid(col)[guid(hostile["papers"][0])]
        front = visible(sorted(note.cards(), key=lambda c: c.ord)[0].question())
        assert "<script> 会在显示时执行吗？" in front
    finally:
        col.close()


def test_subdecks_by_decade(tmp_path, builtin):
    path = export(tmp_path, "decades.apkg", "--deck", "Study::DL", "--subdeck-by", "decade")
    col = fresh_collection(tmp_path)
    try:
        import_apkg(col, path)
        check_deck(col, builtin["papers"], "Study::DL", by_decade=True)
        names = {d.name for d in col.decks.all_names_and_ids()}
        decades = {f"Study::DL::{p['year'] // 10 * 10}s" for p in builtin["papers"]}
        assert names == {"Default", "Study", "Study::DL"} | decades
        assert "Study::DL::1940s" in names and "Study::DL::2020s" in names
    finally:
        col.close()


@pytest.mark.parametrize("args", [(), ("--subdeck-by", "decade")])
def test_anki_tsv_imports_into_the_same_notes(tmp_path, builtin, args):
    apkg = export(tmp_path, "deck.apkg", *args)
    tsv = export(tmp_path, "deck.anki.tsv", *args)
    text = tsv.read_text(encoding="utf-8")
    assert text.startswith("#separator:tab\n#html:true\n")
    col = fresh_collection(tmp_path)
    try:
        import_apkg(col, apkg)
        by_apkg = {
            g: (n.id, n.fields, sorted(n.tags), sorted(col.decks.name(c.did) for c in n.cards()))
            for g, n in notes_by_guid(col).items()
        }
        # Over the notes the package made: nothing new, the same notes.
        log = import_tsv(col, tsv)
        assert not log.new, [n.fields[0] for n in log.new]
        assert col.note_count() == 48 and col.card_count() == 96
        assert {g: (n.id, n.fields) for g, n in notes_by_guid(col).items()} == {
            g: v[:2] for g, v in by_apkg.items()
        }

        # Into a collection that has the note type but no notes: the same
        # GUIDs, fields, tags, decks and cards as the package gives.
        col.remove_notes(col.find_notes(""))
        assert col.note_count() == 0
        log = import_tsv(col, tsv)
        assert len(log.new) == 48
        by_tsv = {
            g: (n.fields, sorted(n.tags), sorted(col.decks.name(c.did) for c in n.cards()))
            for g, n in notes_by_guid(col).items()
        }
        assert by_tsv == {g: v[1:] for g, v in by_apkg.items()}
        check_deck(
            col, builtin["papers"], "Famous Deep Learning Papers", by_decade=bool(args)
        )
    finally:
        col.close()


def test_hostile_anki_tsv_matches_the_package(tmp_path, hostile, hostile_path):
    source = hostile_path
    apkg = export(tmp_path, "h.apkg", source)
    tsv = export(tmp_path, "h.anki.tsv", source)
    col = fresh_collection(tmp_path)
    try:
        import_apkg(col, apkg)
        by_apkg = {g: (n.fields, sorted(n.tags)) for g, n in notes_by_guid(col).items()}
        col.remove_notes(col.find_notes(""))
        import_tsv(col, tsv)
        by_tsv = {g: (n.fields, sorted(n.tags)) for g, n in notes_by_guid(col).items()}
        assert by_tsv == by_apkg
        assert len(by_tsv) == len(hostile["papers"])
    finally:
        col.close()
