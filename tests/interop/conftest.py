"""Shared helpers of the interop suite: run the binary, load fixtures."""

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("PAPER_EXPORT", str(ROOT / "target" / "release" / "paper-export"))
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"


def paper_export(*args, stdin=None, env=None, expect=0):
    """Runs paper-export and returns its stdout as bytes; fails on another exit code."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("RUST_")}
    full_env.pop("SOURCE_DATE_EPOCH", None)
    full_env.update(env or {})
    proc = subprocess.run(
        [BIN, *map(str, args)], input=stdin, capture_output=True, env=full_env, check=False
    )
    assert proc.returncode == expect, (
        f"paper-export {' '.join(map(str, args))} exited {proc.returncode}: "
        f"{proc.stderr.decode(errors='replace')}"
    )
    return proc.stdout


def load_collection(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def builtin():
    """The built-in collection as the canonical JSON writer gives it."""
    return json.loads(paper_export("--format", "json"))


@pytest.fixture(scope="session")
def hostile():
    """The hostile fixture: markup, LaTeX specials, formulas, CJK names."""
    return load_collection(FIXTURES / "hostile.json")


@pytest.fixture(scope="session")
def hostile_path():
    return FIXTURES / "hostile.json"


def inverted(author):
    """`Family, Given` as the CSV, RIS and Anki writers show a name."""
    if "literal" in author:
        return author["literal"]
    name = " ".join(x for x in (author.get("particle"), author["family"]) if x)
    if author.get("suffix"):
        name += ", " + author["suffix"]
    if author.get("given"):
        name += ", " + author["given"]
    return name
