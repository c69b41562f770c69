#!/usr/bin/env python3
# Generates the benchmark documents from the Learn "ContentDetails Example 2" sample, so every
# benchmark and peer comparison (criterion, tests/npm/bench.mjs, scripts/bench) runs on the same
# inputs.
# Usage: python3 scripts/gen-bench-docs.py tests/corpus   (writes into the current folder)
#   small.json   = learn-copyjob-definition-example2.copyjob-content.json (verbatim)
#   medium.json  = 100 activities, large.json = 1000 activities (10 column mappings each)
#   large_invalid.json = large.json with 50 activities broken (bad writeBehavior + missing destination table)
#   *.b64        = base64 of each file (what an InlineBase64 payload carries)
import base64, copy, json, os, shutil, sys

SAMPLES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "corpus")
small_src = os.path.join(SAMPLES, "learn-copyjob-definition-example2.copyjob-content.json")
shutil.copyfile(small_src, "small.json")
base = json.load(open(small_src))

COLS = [("id", "Int64", "bigint", "long"), ("name", "String", "nvarchar", "string"),
        ("created_at", "DateTime", "datetime2", "timestamp"), ("amount", "Decimal", "decimal", "decimal"),
        ("is_active", "Boolean", "bit", "boolean"), ("country_code", "String", "char", "string"),
        ("quantity", "Int32", "int", "integer"), ("ratio", "Double", "float", "double"),
        ("updated_by", "String", "nvarchar", "string"), ("row_version", "Int64", "bigint", "long")]
WB = ["Append", "Overwrite", "Merge", "Upsert"]

def activity(i):
    table = f"table_{i:05d}"
    dest = {"writeBehavior": WB[i % 4], "datasetSettings": {"schema": "dbo", "table": table}, "applyVOrder": False}
    if dest["writeBehavior"] in ("Upsert", "Merge"):
        dest["upsertSettings"] = {"keys": ["id"]}
    mappings = []
    for (n, t, ps, pd) in COLS:
        src = {"name": n, "type": t, "physicalType": ps}
        dst = {"name": n, "type": t, "physicalType": pd}
        if t == "Decimal":
            src.update(precision=18, scale=2); dst.update(precision=18, scale=2)
        mappings.append({"source": src, "destination": dst})
    return {
        "id": f"{i:08x}-{(i * 7) % 65536:04x}-4{i % 4096:03x}-8{i % 4096:03x}-{i * 2654435761 % (1 << 48):012x}",
        "properties": {
            "source": {"datasetSettings": {"schema": "dbo", "table": table}},
            "destination": dest,
            "enableStaging": False,
            "translator": {"type": "TabularTranslator", "mappings": mappings},
            "typeConversionSettings": {"typeConversion": {"allowDataTruncation": True, "treatBooleanAsNumber": False}},
        },
    }

def doc(n):
    d = copy.deepcopy(base)
    d["activities"] = [activity(i) for i in range(n)]
    return d

def write(name, d):
    with open(name, "w", newline="\n") as f:
        json.dump(d, f, indent=2)  # 2-space indent like service output

write("medium.json", doc(100))
large = doc(1000)
write("large.json", large)
bad = copy.deepcopy(large)
for i in range(0, 1000, 20):  # 50 activities
    dst = bad["activities"][i]["properties"]["destination"]
    dst["writeBehavior"] = "Replace"          # not in enum
    del dst["datasetSettings"]["table"]       # anyOf(table|location) fails
write("large_invalid.json", bad)
for n in ["small", "medium", "large", "large_invalid"]:
    raw = open(n + ".json", "rb").read()
    open(n + ".b64", "wb").write(base64.b64encode(raw))
    print(f"{n}.json {len(raw)} bytes, {n}.b64 {len(base64.b64encode(raw))} bytes")
