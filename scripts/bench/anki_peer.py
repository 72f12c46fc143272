"""genanki beside paper-export's Anki writer, for scripts/bench-anki.sh.

    anki_peer.py model PACKAGE MODEL.json       note type + deck of a paper-export package
    anki_peer.py genanki MODEL.json IN.jsonl OUT.apkg
                                                the same deck built with genanki
    anki_peer.py count PACKAGE                  notes in a package
    anki_peer.py compare A.apkg B.apkg          do both hold the same notes?

The genanki deck uses paper-export's own note type (fields, templates, CSS,
ids, read from a package it wrote), and builds every note the way the Anki
writer documents it: the same escaped fields, tags, GUIDs and deck, so both
tools do the same work.
"""

import hashlib
import json
import sqlite3
import sys
import tempfile
import zipfile

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def open_collection(path, tmp):
    with zipfile.ZipFile(path) as z:
        name = "collection.anki21" if "collection.anki21" in z.namelist() else "collection.anki2"
        z.extract(name, tmp)
    return sqlite3.connect(f"{tmp}/{name}")


def model(package, out):
    with tempfile.TemporaryDirectory() as tmp:
        con = open_collection(package, tmp)
        models, decks = con.execute("select models, decks from col").fetchone()
        con.close()
    (nt,) = json.loads(models).values()
    deck = next(d for d in json.loads(decks).values() if d["id"] != 1)
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"notetype": nt, "deck": {"id": deck["id"], "name": deck["name"]}}, f)


def html_text(text):
    text = "".join(c for c in text if c in "\t\n\r" or (ord(c) >= 32 and c != "\x7f"))
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        text = text.replace(raw, entity)
    return text.replace("\r\n", "<br>").replace("\r", "<br>").replace("\n", "<br>")


def localized(paper, key, lang="en"):
    texts = paper.get(key) or {}
    for found in (texts.get(lang), texts.get("en"), *(texts[k] for k in sorted(texts))):
        if found is not None:
            return found or ""
    return ""


def inverted(author):
    if "literal" in author:
        return author["literal"]
    name = " ".join(x for x in (author.get("particle"), author["family"]) if x)
    if author.get("suffix"):
        name += ", " + author["suffix"]
    if author.get("given"):
        name += ", " + author["given"]
    return name


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


def guid(paper, notetype_name):
    if paper.get("id"):
        identity = "id:" + paper["id"]
    elif paper.get("doi"):
        identity = "doi:" + paper["doi"].lower()
    elif paper.get("arxiv"):
        identity = "arxiv:" + paper["arxiv"]
    else:
        identity = "title:" + " ".join(paper["title"].lower().split()) + "|" + str(paper.get("year", ""))
    seed = b"paper-export\x1f" + notetype_name.encode() + b"\x1f" + identity.encode()
    n = int.from_bytes(hashlib.sha1(seed).digest()[:8], "big")
    digits = ""
    for _ in range(11):
        n, d = divmod(n, 62)
        digits = BASE62[d] + digits
    return digits


def fields(paper):
    authors = "; ".join(inverted(a) for a in paper.get("authors", []))
    if paper.get("authors_truncated"):
        authors = authors + "; et al." if authors else "et al."
    return [
        html_text(paper.get("id", "")),
        html_text(localized(paper, "question")),
        html_text(paper["title"]),
        html_text(authors),
        str(paper.get("year", "")),
        html_text(paper.get("venue", "")),
        link(paper),
        html_text(localized(paper, "note")),
    ]


def tags(paper):
    found = {"_".join(t.split()) for t in paper.get("tags", []) if t.split()}
    if "year" in paper:
        found.add(f"{paper['year'] // 10 * 10}s")
    return sorted(found, key=lambda t: (t.lower(), t))


def run_genanki(model_path, src, dst):
    import genanki

    with open(model_path, encoding="utf-8") as f:
        spec = json.load(f)
    nt = spec["notetype"]
    model = genanki.Model(
        nt["id"],
        nt["name"],
        fields=[{"name": f["name"]} for f in nt["flds"]],
        templates=[{"name": t["name"], "qfmt": t["qfmt"], "afmt": t["afmt"]} for t in nt["tmpls"]],
        css=nt["css"],
        sort_field_index=nt["sortf"],
    )
    deck = genanki.Deck(spec["deck"]["id"], spec["deck"]["name"])
    with open(src, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            paper = json.loads(line)
            deck.add_note(
                genanki.Note(
                    model=model,
                    fields=fields(paper),
                    guid=guid(paper, nt["name"]),
                    tags=tags(paper),
                )
            )
    genanki.Package(deck).write_to_file(dst, timestamp=1704067200)


def count(package):
    with tempfile.TemporaryDirectory() as tmp:
        con = open_collection(package, tmp)
        (n,) = con.execute("select count(*) from notes").fetchone()
        con.close()
    return n


def digest_notes(package):
    """One hash per note of (guid, fields, tags) and the card count."""
    digests = set()
    with tempfile.TemporaryDirectory() as tmp:
        con = open_collection(package, tmp)
        for g, flds, t in con.execute("select guid, flds, tags from notes"):
            key = "\x1e".join([g, flds, " ".join(sorted(t.split()))])
            digests.add(hashlib.sha1(key.encode()).digest()[:12])
        (cards,) = con.execute("select count(*) from cards").fetchone()
        con.close()
    return digests, cards


def compare(a, b):
    da, ca = digest_notes(a)
    db, cb = digest_notes(b)
    same = len(da & db)
    print(f"notes with equal guid, fields and tags: {same} of {len(da)} / {len(db)}; cards {ca} / {cb}")
    return 0 if da == db else 1


def main():
    cmd, *args = sys.argv[1:]
    if cmd == "model":
        model(*args)
    elif cmd == "genanki":
        run_genanki(*args)
    elif cmd == "count":
        print(count(*args))
    elif cmd == "compare":
        sys.exit(compare(*args))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
