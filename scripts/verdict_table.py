#!/usr/bin/env python3
"""Runs real third-party Go programs from Debian's archive (installed by scripts/setup.sh: age,
gojq, shfmt, fzf) into real failures under `exitlens run --json`, and prints the verdict-quality
table of docs/verdicts.md: for each scenario the category and headline ExitLens gives.

    scripts/verdict_table.py [--exitlens build/ci/app/exitlens] [--check]

With --replace-doc, the table between the markers in docs/verdicts.md is rewritten. With
--check, the script fails when a scenario's category differs from the one it expects (the
expected categories are what a person reading the program's output would say), so the table is
also a test of the verdicts on programs nobody here wrote."""

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
BEGIN = "<!-- verdict-table:begin (scripts/verdict_table.py --replace-doc) -->"
END = "<!-- verdict-table:end -->"

# (program, scenario, setup(dir) -> None, argv, stdin file or None, expected category)

def write(path, text, mode=0o644):
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)


def keygen(folder):
    """A real key pair: its public half in recipients.txt."""
    subprocess.run(["age-keygen", "-o", str(folder / "key.txt")], check=True, stderr=subprocess.DEVNULL)
    public = subprocess.run(["age-keygen", "-y", str(folder / "key.txt")], check=True, capture_output=True, text=True)
    write(folder / "recipients.txt", public.stdout)


SCENARIOS = [
    ("age", "decrypt a file that is not there", lambda d: None,
     ["age", "-d", "-o", "out.txt", "secret.age"], None, "missing_file"),
    ("age", "identity file missing", lambda d: write(d / "secret.age", "age-encryption.org/v1\n"),
     ["age", "-d", "-i", "keys/me.txt", "secret.age"], None, "missing_file"),
    ("age", "malformed recipient", lambda d: write(d / "plain.txt", "hello\n"),
     ["age", "-r", "age1notarecipient", "-o", "plain.age", "plain.txt"], None, "config_error"),
    ("age", "output path is a folder", lambda d: (write(d / "plain.txt", "hello\n"), (d / "out").mkdir(),
                                                 keygen(d)),
     ["age", "-R", "recipients.txt", "-o", "out", "plain.txt"], None, "config_error"),
    ("gojq", "invalid JSON in the input file", lambda d: write(d / "data.json", '{\n  "name": "x",\n  "n": ,\n}\n'),
     ["gojq", ".name", "data.json"], None, "config_error"),
    ("gojq", "filter file missing", lambda d: None,
     ["gojq", "-f", "filters/report.jq"], None, "missing_file"),
    ("gojq", "unknown flag", lambda d: None,
     ["gojq", "--colour", "."], None, "config_error"),
    ("shfmt", "syntax error in a script", lambda d: write(d / "deploy.sh", "#!/bin/sh\nif [ -f x ]; then\n  echo hi\n"),
     ["shfmt", "deploy.sh"], None, "config_error"),
    ("shfmt", "bad flag value", lambda d: None,
     ["shfmt", "-i", "abc", "deploy.sh"], None, "config_error"),
    ("shfmt", "script missing", lambda d: None,
     ["shfmt", "-l", "scripts/build.sh"], None, "missing_file"),
    ("fzf", "unknown option", lambda d: None,
     ["fzf", "--bogus"], None, "config_error"),
    ("fzf", "filter matches nothing", lambda d: write(d / "names.txt", "alpha\nbeta\n"),
     ["fzf", "--filter", "zzz"], "names.txt", "os_exit"),
]


def run(exitlens, scenario):
    program, title, setup, argv, stdin, expected = scenario
    with tempfile.TemporaryDirectory(prefix="exitlens-table-") as tmp:
        folder = pathlib.Path(tmp)
        folder.chmod(0o755)
        setup(folder)
        result = folder / "result.json"
        stdin_file = open(folder / stdin) if stdin else subprocess.DEVNULL
        env = {k: v for k, v in os.environ.items() if not k.startswith("FZF_")}
        subprocess.run([exitlens, "run", "--quiet", "--json", str(result), "--"] + argv, cwd=folder,
                       stdin=stdin_file, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120,
                       env=env)
        document = json.loads(result.read_text())
        verdict = document["verdict"]
        headline = verdict["headline"].replace(tmp, "DIR")
        return program, title, " ".join(argv), expected, verdict["category"], headline


def table(rows):
    lines = ["| program | scenario | command | expected | verdict | headline |", "|---|---|---|---|---|---|"]
    for program, title, command, expected, category, headline in rows:
        mark = "" if expected == category else " ✗"
        cells = [program, title, "`" + command + "`", "`" + expected + "`", "`" + category + "`" + mark,
                 headline.replace("|", "\\|").replace("\n", " ")]
        lines.append("| " + " | ".join(cells) + " |")
    right = sum(1 for row in rows if row[3] == row[4])
    lines.append("")
    lines.append(f"{right} of {len(rows)} scenarios get the expected category.")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exitlens", default=str(ROOT / "build/ci/app/exitlens"))
    parser.add_argument("--replace-doc", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    missing = [p for p in sorted({s[0] for s in SCENARIOS}) if not shutil.which(p)]
    if missing:
        sys.exit("not installed (scripts/setup.sh installs them): " + ", ".join(missing))
    rows = [run(args.exitlens, scenario) for scenario in SCENARIOS]
    text = table(rows)
    print(text)
    if args.replace_doc:
        doc = ROOT / "docs/verdicts.md"
        content = doc.read_text()
        start = content.index(BEGIN) + len(BEGIN)
        end = content.index(END)
        doc.write_text(content[:start] + "\n" + text + "\n" + content[end:])
    if args.check and any(row[3] != row[4] for row in rows):
        sys.exit("some scenarios got another category than expected")


if __name__ == "__main__":
    main()
