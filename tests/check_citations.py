#!/usr/bin/env python3
"""Fails when the repository cites something a reader of the repository cannot
open: IDs of documents that are not in it (the open questions "Q-07", the
global rules "G-25", per-action rule IDs such as "RUN-7", "RIB-1", "S-LOGIN-1")
or paths outside it (a relative path that climbs above the checkout, an
absolute path into the folder that holds the checkout, the outside reference
material by name, "DECISIONS.md", "RULES.md", "WIRE.md"). Rules are cited as
D-nn (docs/decisions.md), SDK facts as "docs/wire.md §n", and the API
document by action and section name.

Usage: python3 tests/check_citations.py [repository-root]
Prints every offending line as path:line: [what] text, then a count; exits 1
if there is any. Scans every file git tracks, except the API document itself
(docs/api/) and the reference fixtures (tests/fixtures/), which are kept as
they were made.
"""
import os
import re
import subprocess
import sys

# Prefixes of the per-action and per-structure rule IDs of the outside rules
# digest ("RUN-7", "S-LOGIN-1"), and of its global rules and open questions.
RULE_PREFIXES = [
    "AH", "AKP", "CDRG", "CIMG", "CKP", "DDRG", "DDRGQ", "DDRGS", "DH", "DICTC",
    "DIFC", "DIIBC", "DIIO", "DIMG", "DIMGS", "DIN", "DIQ", "DIS", "DISP", "DITC",
    "DKP", "DKPI", "DKPS", "DRG", "DZ", "DZICI", "IIMG", "IKP", "IPMCT", "IPR",
    "IPREN", "IPRIB", "IPRID", "IPRIT", "IPRST", "MCT", "MDRGA", "MH", "MIA",
    "MIMG", "MIP", "MIRF", "MISP", "MKP", "MVA", "RBT", "REN", "RH", "RIB", "RID",
    "RIP", "RIT", "RST", "RUN", "STA", "STP", "SYN", "TRM", "VNC",
    "S-DISK", "S-ENH", "S-FILTER", "S-LOGIN", "S-NET", "S-PLACE", "S-PREPAID",
    "S-SPOT", "S-TAG", "S-TIMER", "S-VPC",
]

CHECKS = [
    ("open question", re.compile(r"\bQ-\d{1,2}\b")),
    ("global rule", re.compile(r"\bG-\d{1,2}\b")),
    ("rule ID", re.compile(r"(?<![\w-])(?:%s)-\d+\b" % "|".join(
        sorted((re.escape(p) for p in RULE_PREFIXES), key=len, reverse=True)))),
    ("rule family", re.compile(r"(?<![\w-])(?:%s)-\*" % "|".join(re.escape(p) for p in RULE_PREFIXES))),
    ("outside document", re.compile(r"\b(?:RULES|DECISIONS|WIRE)(?:\.md\b|\s*§|\s+\d|\s+[A-Z]{2,}-?\d|\s+\"|\s+Q-)")),
    ("outside document", re.compile(r"\bDECISIONS\b")),
    ("outside path", re.compile(r"shared/reference|shared/seed|\bsigref\b")),
]

# "../" runs: a path that climbs more folders than the file is deep reaches
# outside the checkout.
UP = re.compile(r"(?<![\w.])((?:\.\./)+)")


def outside_path(path, line, holder):
    """What in `line` of `path` (relative to the root) leaves the checkout:
    a relative path climbing above it, or an absolute path into `holder`, the
    folder that holds the checkout (where reference material sits beside it
    on a developer's machine); else None."""
    depth = path.count("/")
    for m in UP.finditer(line):
        if m.group(1).count("../") > depth:
            return "outside path"
    if holder and holder in line:
        return "absolute path"
    return None

SKIP_PREFIXES = ("docs/api/", "tests/fixtures/")
SELF = "tests/check_citations.py"


def tracked_files(root):
    out = subprocess.run(["git", "-C", root, "ls-files", "-z"], check=True,
                         capture_output=True).stdout.decode("utf-8")
    return [p for p in out.split("\0") if p]


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    holder = os.path.dirname(os.path.abspath(root).rstrip("/")) + "/"
    if holder == "/":
        holder = None  # a checkout at the top level: every path would match
    found = 0
    files = 0
    for path in tracked_files(root):
        if path.startswith(SKIP_PREFIXES) or path == SELF:
            continue
        full = os.path.join(root, path)
        try:
            with open(full, encoding="utf-8") as f:
                lines = f.read().splitlines()
        except (UnicodeDecodeError, IsADirectoryError, FileNotFoundError):
            continue  # binary, a submodule, or deleted in the work tree
        files += 1
        for number, line in enumerate(lines, 1):
            what = next((w for w, pattern in CHECKS if pattern.search(line)), None)
            what = what or outside_path(path, line, holder)
            if what:
                print("%s:%d: [%s] %s" % (path, number, what, line.strip()[:160]))
                found += 1
    if found:
        print("%d lines in %d files scanned cite documents or paths outside the repository" % (found, files))
        print("cite D-nn (docs/decisions.md), docs/wire.md §n, or the API document by section instead")
        return 1
    print("OK: %d files scanned; no citation of documents or paths outside the repository" % files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
