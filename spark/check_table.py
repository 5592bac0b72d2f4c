"""Checks the Spark job's output against `eseal verify --format jsonl` on the same files.

usage: check_table.py OUT_DIR CLI_JSONL CLI_SUMMARY SPARK_STDOUT [EXTRA_PATH ...]

Reads OUT_DIR/parquet with pyarrow (not with the job's code) and checks its schema, then, path
by path, that every CLI report has a row with the same kind, verdict, failing and indeterminate
check ids, error and report (apart from the path label), and that the job's printed summary
counts equal the CLI's. EXTRA_PATHs (inputs the CLI was not given, e.g. missing files) must be
rows with an error. OUT_DIR/jsonl must hold the same rows as JSON lines.
"""
import glob
import json
import re
import sys

import pyarrow as pa
import pyarrow.parquet as pq

out_dir, cli_jsonl, cli_summary, spark_stdout = sys.argv[1:5]
extra = sys.argv[5:]

string, strings = pa.string(), pa.list_(pa.string())
EXPECTED = [
    ("path", string), ("input", string), ("report_index", pa.int32()), ("kind", string),
    ("verdict", string), ("failing_checks", strings), ("indeterminate_checks", strings),
    ("signature_count", pa.int32()), ("signer_subject", string), ("signer_serial", string),
    ("seal_id", string), ("seal_name", string), ("signing_time", pa.timestamp("us", tz="UTC")),
    ("licence", string),
] + [("licence_" + f, string) for f in (
    "identifier", "number", "type", "type_code", "holder", "holder_code", "authority",
    "authority_code", "issue_date", "valid_from", "valid_to", "verdict")] + [
    ("error", string), ("report", string),
]

table = pq.read_table(out_dir + "/parquet")
got = [(f.name, f.type) for f in table.schema]
# Spark writes timestamps as INT96 or micros depending on settings; compare the unit-free kind.
def norm(t):
    if pa.types.is_timestamp(t):
        return "timestamp"
    if pa.types.is_list(t):
        return ("list", str(t.value_type))
    return str(t)
assert [(n, norm(t)) for n, t in got] == [(n, norm(t)) for n, t in EXPECTED], (
    "schema differs:\n" + "\n".join(f"  {g} / {e}" for g, e in zip(got, EXPECTED)))
rows = table.to_pylist()


def local(path):
    return re.sub(r"^file:(//)?", "", path)


def checks(report, status):
    ids = [c["id"] for c in report.get("checks", []) if c["status"] == status]
    for s in report.get("signatures", []):
        ids += [c["id"] for c in s.get("checks", []) if c["status"] == status]
    return sorted(set(ids))


by_path = {}
for r in rows:
    p = local(r["path"])
    assert p not in by_path, f"two rows for {p}"
    by_path[p] = r

cli = [json.loads(line) for line in open(cli_jsonl, encoding="utf-8")]
assert len(cli) == len(rows) - len(extra), (len(cli), len(rows))
kinds = {}
for c in cli:
    p = c["path"]
    r = by_path.get(p)
    assert r is not None, f"no row for {p}"
    kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
    want = (c["kind"], c["verdict"], checks(c, "fail"), checks(c, "indeterminate"), c.get("error"))
    have = (r["kind"], r["verdict"], sorted(r["failing_checks"]), sorted(r["indeterminate_checks"]), r["error"])
    assert want == have, f"{p}: CLI {want} / Spark {have}"
    report = json.loads(r["report"])
    assert local(report.pop("path")) == p
    c.pop("path")
    assert report == c, f"{p}: reports differ"
    sigs = c.get("signatures") or []
    if sigs:
        assert r["signer_subject"] == (sigs[0].get("signer") or {}).get("subject"), p
        seal = sigs[0].get("seal") or {}
        assert (r["seal_id"], r["seal_name"]) == (seal.get("es_id"), seal.get("name")), p
        assert r["signing_time"] is not None, p
    elif c["kind"] == "cert":
        assert (r["signer_subject"], r["signer_serial"]) == (c["subject"], c["serial"]), p
    elif c["kind"] == "seal":
        assert r["seal_name"] == c["seal"]["name"], p
    if "licence" in c:
        assert json.loads(r["licence"]) == c["licence"], p
    else:
        assert r["licence"] is None, p
for e in extra:
    r = by_path.get(local(e))
    assert r is not None and r["error"] and r["verdict"] == "invalid", f"no error row for {e}: {r}"
    assert list(r["failing_checks"]) == ["format"], f"{e}: {r['failing_checks']}"
assert len(by_path) == len(cli) + len(extra), (len(by_path), len(cli), len(extra))

lines = []
for f in sorted(glob.glob(out_dir + "/jsonl/part-*")):
    lines += [json.loads(x) for x in open(f, encoding="utf-8") if x.strip()]
assert sorted(local(x["path"]) for x in lines) == sorted(by_path), "JSON lines differ from Parquet"

# The printed summary: the same counts and check lists as the CLI's (timings apart).
def summary(text):
    m = re.search(r"summary: (\d+) files, (\d+) reports: (\d+) valid, (\d+) invalid, (\d+) indeterminate \((\d+) errors\)", text)
    assert m, text
    f = re.search(r"^failed checks: (.*)$", text, re.M)
    i = re.search(r"^indeterminate checks: (.*)$", text, re.M)
    return [int(x) for x in m.groups()], f and f.group(1), i and i.group(1)

cli_s, spark_s = summary(open(cli_summary).read()), summary(open(spark_stdout).read())
# Each extra path is one more input, report, invalid verdict and error, its check `format`
# failed (as the library reports a file it cannot read).
counts = cli_s[0]
for i in (0, 1, 3, 5):
    counts[i] += len(extra)
def add_format(line, n):
    pairs = dict(p.rsplit(" ", 1) for p in line.split(", ")) if line else {}
    pairs["format"] = str(int(pairs.get("format", "0")) + n)
    return ", ".join(f"{k} {v}" for k, v in sorted(pairs.items()))
if extra:
    cli_s = (counts, add_format(cli_s[1], len(extra)), cli_s[2])
assert cli_s == spark_s, f"summary: CLI (+ {len(extra)} error rows) {cli_s} / Spark {spark_s}"
print(f"table checked: {len(rows)} rows, {len(cli)} CLI reports match path by path "
      f"(kinds {dict(sorted(kinds.items()))}), {len(extra)} error rows; schema of {len(EXPECTED)} columns; "
      "printed summary equals the CLI's")
