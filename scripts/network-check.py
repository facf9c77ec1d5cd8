#!/usr/bin/env python3
"""Loads every GraphML and GEXF file that `hybridsim run --network` wrote in
OUT/network/ with networkx and checks them against OUT/actors.csv: one node
per actor row of the run with the same attribute values, one edge per tie
(the actors' ties counts sum to twice the edges), cross edges exactly the
ties the actors count as cross_ties, and strengths in (0, 1].
Usage: network-check.py OUT. Exit 0 only if every file agrees."""
import csv
import os
import sys
from collections import defaultdict

import networkx as nx

out = sys.argv[1]
rows = defaultdict(dict)
with open(os.path.join(out, "actors.csv"), newline="") as f:
    for r in csv.DictReader(f):
        rows[f"{r['scenario']}_{r['variant']}_r{r['rep']}"][r["id"]] = r

FLOATS = ["w", "a", "g", "x0", "x1", "x2", "x3", "iota", "pi", "m"]
INTS = ["ties", "cross_ties", "cross_contacts"]
problems = []
files = 0


def check(name, g, run):
    want = rows.get(run)
    if want is None:
        problems.append(f"{name}: no run {run} in actors.csv")
        return
    if g.number_of_nodes() != len(want):
        problems.append(f"{name}: {g.number_of_nodes()} nodes, actors.csv has {len(want)} actors")
    ties = sum(int(r["ties"]) for r in want.values())
    cross = sum(int(r["cross_ties"]) for r in want.values())
    if 2 * g.number_of_edges() != ties:
        problems.append(f"{name}: {g.number_of_edges()} edges, actors.csv counts {ties} tie ends")
    ncross = sum(1 for _, _, d in g.edges(data=True) if d["cross"] is True)
    if 2 * ncross != cross:
        problems.append(f"{name}: {ncross} cross edges, actors.csv counts {cross} cross tie ends")
    for u, v, d in g.edges(data=True):
        if not 0 < d["strength"] <= 1:
            problems.append(f"{name}: edge {u}-{v} strength {d['strength']}")
            break
        sides = {g.nodes[u]["side"], g.nodes[v]["side"]}
        if d["cross"] != (sides == {"formal", "informal"}):
            problems.append(f"{name}: edge {u}-{v} between {sides} has cross={d['cross']}")
            break
    for node, d in g.nodes(data=True):
        r = want.get(str(node))
        if r is None:
            problems.append(f"{name}: node {node} is not in actors.csv")
            break
        ok = (d["side"] == r["side"] and d["role"] == r["role"] and d["active"] == (r["active"] == "true")
              and all(d[k] == float(r[k]) for k in FLOATS) and all(d[k] == int(r[k]) for k in INTS)
              and g.degree(node) == int(r["ties"]))
        if not ok:
            problems.append(f"{name}: node {node} differs from actors.csv: {d} vs {r}")
            break


netdir = os.path.join(out, "network")
for fn in sorted(os.listdir(netdir)):
    path = os.path.join(netdir, fn)
    run, ext = os.path.splitext(fn)
    if ext == ".graphml":
        g = nx.read_graphml(path)
    elif ext == ".gexf":
        g = nx.read_gexf(path)
    else:
        continue
    files += 1
    check(fn, g, run)

runs = len(rows)
if files != 2 * runs:
    problems.append(f"{files} network files for {runs} runs, want {2 * runs}")
for p in problems:
    print("network-check:", p)
if problems:
    sys.exit(1)
print(f"network-check: {files} files of {runs} runs agree with actors.csv (nodes, attributes, edges, cross ties)")
