#!/usr/bin/env python3
"""Builds the seed corpora of the fuzz targets from the repository's test material.

    python3 fuzz/seed.py OUT_DIR

Writes OUT_DIR/<target>/<name> for every target: the fixtures and corpus files as documents,
their base64 payloads for `unpack`, `copyjob.json` configurations for `config`, and fixed
pseudo-random seeds for the structure-aware targets. The committed corpora (fuzz/corpus/) are
these seeds after a campaign, minimised with `cargo fuzz cmin` (see fuzz/README.md).
"""
import hashlib
import json
import random
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
out = Path(sys.argv[1])
sources = [p for d in ("tests/fixtures", "tests/corpus", "tests/recordings") for p in sorted((root / d).rglob("*"))
           if p.is_file() and p.suffix != ".md" and p.stat().st_size < 200_000]


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def payloads(value):
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "payload" and isinstance(v, str):
                yield v
            else:
                yield from payloads(v)
    elif isinstance(value, list):
        for v in value:
            yield from payloads(v)


for path in sources:
    data = path.read_bytes()
    for target in ("check_document", "format", "fix"):
        put(target, data)
    put("check_kinds", bytes([sources.index(path) % 6]) + data)
    try:
        for p in payloads(json.loads(data)):
            put("unpack", p)
    except ValueError:
        pass

for config in ['{"rules": {}}', '{"rules": {"lint/activity-id-not-guid": "off", "lint/misspelled-property": "error"}}',
               '{"rules": {"lint/misspelled-property": "info", "schema/unknown-property": "warning"}}',
               '{"rules": {"json/syntax": "off"}, "extra": 1}', '{"rules": {"x": "bogus"}}', "off", "warning"]:
    put("config", config)

rng = random.Random(20261202)
for target in ("near_valid", "item_folder", "pack_unpack"):
    for size in (64, 256, 1024, 4096):
        for _ in range(8):
            put(target, bytes(rng.getrandbits(8) for _ in range(size)))
