#!/usr/bin/env python3
# Peer benchmark in Python, run by scripts/bench inside the venv it creates: jsonschema's
# Draft202012Validator (with format checking, every error collected) on the project's schemas,
# after json.loads. Prints one JSON object: median seconds per call, by document.
#   python bench-peers.py ROOT DOCS_DIR
import json, os, statistics, sys, time

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

root, docs = sys.argv[1], sys.argv[2]
schemas_dir = os.path.join(root, "schemas")
schemas = [json.load(open(os.path.join(schemas_dir, f))) for f in sorted(os.listdir(schemas_dir)) if f.endswith(".schema.json")]
registry = Registry().with_resources([(s["$id"], Resource.from_contents(s)) for s in schemas])
content = next(s for s in schemas if s["$id"].endswith("/copyjob-content.schema.json"))
validator = Draft202012Validator(content, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)

result = {}
for name in ["small", "large", "large_invalid"]:
    text = open(os.path.join(docs, name + ".json"), encoding="utf-8").read()
    batch, rounds = (50, 15) if name == "small" else (1, 5)
    count = len(list(validator.iter_errors(json.loads(text))))
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(batch):
            list(validator.iter_errors(json.loads(text)))
        times.append((time.perf_counter() - start) / batch)
    result[name] = {"python": {"seconds": statistics.median(times), "diagnostics": count}}
print(json.dumps(result))
