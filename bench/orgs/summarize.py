#!/usr/bin/env python3
"""Medians and spreads of bench/orgs/run.sh's rows: per scenario, the base (1 organization) and 10k databases side by side.

    python3 bench/orgs/summarize.py RESULTS_DIR

Labels are "<database>/r<round>[/<variant>]". For each scenario: the median over rounds of req/s, p50, p99 and server CPU
ms/op, each with its min-max across rounds, and 10k relative to base (median against median).
"""
import csv
import statistics
import sys
from collections import defaultdict
from pathlib import Path

NAMES = {
    "firstparty-login": "sign-in (POST /api/auth/login)",
    "firstparty-refresh": "first-party refresh (POST /api/auth/refresh)",
    "refresh": "refresh-token grant (POST /oauth2/token)",
    "authcode": "auth-code flow, confidential client + PKCE",
    "org-orgs": "org listing (GET /api/auth/orgs)",
    "org-orgs/multi": "org listing, multi@bench.test",
    "org-switch/multi": "token for a chosen org (POST /api/auth/org), multi@bench.test",
    "org-chooser/pair": "auth-code flow through the org chooser (2 choices), signed in, pair@bench.test",
    "org-chooser/multi": "auth-code flow through the org chooser (200 choices), signed in, multi@bench.test",
}


def rows(res):
    for name in ("load.tsv", "orgload.tsv"):
        f = res / name
        if f.exists():
            with f.open() as fh:
                yield from csv.DictReader(fh, delimiter="\t")


def main():
    res = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/orgs/results")
    data = defaultdict(lambda: defaultdict(list))   # scenario -> db -> [row]
    for r in rows(res):
        parts = r["label"].split("/")
        if len(parts) < 2:
            continue
        scenario = r["scenario"] + ("/" + parts[2] if len(parts) > 2 else "")
        data[scenario][parts[0]].append(r)
    cols = [("req_per_s", "req/s", "{:,.1f}"), ("p50_ms", "p50 ms", "{:.2f}"), ("p99_ms", "p99 ms", "{:.1f}"),
            ("server_cpu_ms_per_op", "CPU ms/op", "{:.3f}")]
    print("| scenario | db | rounds | " + " | ".join(c[1] + " (median, min–max)" for c in cols) + " | errors |")
    print("|---|---|---:|" + "---:|" * len(cols) + "---:|")
    for scenario in NAMES:
        if scenario not in data:
            continue
        med = {}
        for db in ("base", "10k"):
            rs = data[scenario].get(db, [])
            if not rs:
                continue
            cells = []
            for key, _, fmt in cols:
                vals = [float(x[key]) for x in rs if x.get(key) not in (None, "", "NaN", "nan")]
                if not vals:
                    cells.append("")
                    continue
                m = statistics.median(vals)
                med[(db, key)] = m
                cells.append(f"{fmt.format(m)} ({fmt.format(min(vals))}–{fmt.format(max(vals))})")
            errors = sum(int(float(x["errors"])) for x in rs)
            print(f"| {NAMES[scenario]} | {db} | {len(rs)} | " + " | ".join(cells) + f" | {errors} |")
        ratios = []
        for key, label, _ in cols:
            if ("base", key) in med and ("10k", key) in med and med[("base", key)]:
                ratios.append(f"{label} {100 * (med[('10k', key)] / med[('base', key)] - 1):+.1f}%")
        if ratios:
            print(f"| | 10k vs base | | {' · '.join(ratios)} | | | | |")


if __name__ == "__main__":
    main()
