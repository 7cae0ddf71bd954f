#!/usr/bin/env python3
"""Aggregates a JFR recording's execution and allocation samples, for the profile findings in bench/README.md.

    bench/jfr-top.py recording.jfr [--thread reactor-http] [--top 25] [--depth 64]

Prints, for the threads whose name contains --thread (all by default):
  - self: the frames samples were taken in (where the CPU is spent);
  - inclusive: the frames on the stack of a sample, counted once per sample (who the time is spent under);
  - buckets: inclusive time under a few areas of Tollgate and its libraries;
  - allocation: bytes sampled by allocating frame (jdk.ObjectAllocationSample weights).
Needs the JDK's `jfr` tool on the PATH (or JAVA_HOME/bin).
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys

BUCKETS = [
    ("tokenizer (InputTokenBound / jtokkit)", ("InputTokenBound", "jtokkit", "knuddels")),
    ("Jackson databind", ("tools.jackson.databind",)),
    ("Jackson core (parsing, writing)", ("tools.jackson.core",)),
    ("usage journal", ("UsageJournal", "Journal")),
    ("usage accounting", ("UsageAccounting",)),
    ("observability (metrics, access log, tracing)", ("io.tollgate.gateway.observability", "io.micrometer")),
    ("admission", ("RequestAdmission", "billing.admission")),
    ("routing (planner, router, health)", ("RoutePlanner", "AccountRouter", "AccountHealth", "io.tollgate.routing.plan")),
    ("key authentication", ("KeyAuthenticator",)),
    ("request scan", ("MessagesRequestScanner",)),
    ("forward (Tollgate relay code)", ("io.tollgate.gateway.forward",)),
    ("WebFlux dispatch and codecs", ("org.springframework.web.reactive", "org.springframework.web.server",
                                     "org.springframework.http.server.reactive", "org.springframework.core.codec",
                                     "org.springframework.http.codec")),
    ("Reactor Netty", ("reactor.netty",)),
    ("Netty", ("io.netty",)),
    ("Reactor core operators", ("reactor.core",)),
    ("logging", ("ch.qos.logback", "org.slf4j")),
]


def jfr_tool():
    found = shutil.which("jfr")
    if found:
        return found
    home = os.environ.get("JAVA_HOME")
    if home and os.path.exists(os.path.join(home, "bin", "jfr")):
        return os.path.join(home, "bin", "jfr")
    sys.exit("jfr not found: put a JDK's bin on the PATH")


def samples(path, event, depth):
    out = subprocess.run([jfr_tool(), "print", "--events", event, "--stack-depth", str(depth), path],
                         check=True, capture_output=True, text=True).stdout
    thread, frames, weight, in_stack = None, [], 1, False
    for line in out.splitlines():
        s = line.strip()
        if s.startswith(event.split(".")[-1] + " {") or s.startswith(event + " {"):
            thread, frames, weight, in_stack = None, [], 1, False
        elif s.startswith("sampledThread =") or s.startswith("eventThread ="):
            m = re.search(r'"([^"]*)"', s)
            thread = m.group(1) if m else s
        elif s.startswith("weight ="):
            m = re.search(r"([\d.]+)\s*(bytes|kB|MB|GB)?", s.split("=", 1)[1])
            if m:
                unit = {"kB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}.get(m.group(2), 1)
                weight = float(m.group(1)) * unit
        elif s.startswith("stackTrace = ["):
            in_stack = True
        elif in_stack and s == "]":
            in_stack = False
        elif in_stack and s and s != "...":
            frames.append(re.sub(r"\s+line:.*$", "", s))
        elif s == "}" and not in_stack and frames is not None:
            yield thread or "", frames, weight
            frames = []


def report(title, counter, total, top):
    print(f"\n{title} (of {total:.0f})")
    for name, n in counter.most_common(top):
        print(f"  {100.0 * n / max(total, 1):5.1f}%  {name}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("recording")
    parser.add_argument("--thread", default="")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--depth", type=int, default=96)
    parser.add_argument("--under", default="", help="only samples with a frame containing this")
    parser.add_argument("--callers", default="", help="print the stacks leading to frames containing this")
    args = parser.parse_args()

    self_, incl, buckets, threads = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    callers = collections.Counter()
    for thread, frames, _ in samples(args.recording, "jdk.ExecutionSample", args.depth):
        threads[re.sub(r"\d+$", "N", thread)] += 1
        if args.thread not in thread or not frames:
            continue
        if args.under and not any(args.under in f for f in frames):
            continue
        if args.callers:
            i = next((i for i, f in enumerate(frames) if args.callers in f), None)
            if i is not None:
                callers[" <- ".join(f.split("(")[0] for f in frames[i:i + 6])] += 1
        total += 1
        self_[frames[0]] += 1
        for f in set(frames):
            incl[f] += 1
        joined = "\n".join(frames)
        for name, needles in BUCKETS:
            if any(n in joined for n in needles):
                buckets[name] += 1
    report("threads (all execution samples)", threads, sum(threads.values()), 12)
    report(f"self, threads matching '{args.thread}'", self_, total, args.top)
    report("inclusive", incl, total, args.top)
    if args.callers:
        report(f"callers of '{args.callers}'", callers, total, args.top)
    report("buckets (inclusive; a sample can be in several)", buckets, total, len(BUCKETS))

    alloc, alloc_total = collections.Counter(), 0.0
    for thread, frames, weight in samples(args.recording, "jdk.ObjectAllocationSample", args.depth):
        if args.thread not in thread or not frames:
            continue
        alloc_total += weight
        # the first Tollgate frame, else the first frame outside java.*
        tollgate = next((f for f in frames if f.startswith("io.tollgate")), None)
        alloc["top: " + frames[0]] += weight
        if tollgate:
            alloc["tollgate: " + tollgate] += weight
    print(f"\nallocation: {alloc_total / 1024 ** 2:.0f} MB sampled")
    for name, n in alloc.most_common(args.top * 2):
        print(f"  {100.0 * n / max(alloc_total, 1):5.1f}%  {name}")


if __name__ == "__main__":
    main()
