#!/usr/bin/env python3
"""Runs commands several times as whole processes and prints the median wall time and the peak memory.

Usage: measure.py RUNS SETUP [--rss] -- COMMAND ARGS... [--- SETUP [--rss] -- COMMAND ARGS...]
SETUP is a shell command run (untimed) before each run, "" for none. With --rss each run goes through
/usr/bin/time -v, whose "Maximum resident set size" is the peak memory (left out otherwise: it adds a process
to each run, which shows on commands of a few milliseconds). The wall time is measured here around the process.
Several commands (separated by ---) are run in turn, RUNS rounds of one run each, so that all meet the machine in
the same state: on a shared machine, measuring one after the other can favour either.
Prints one JSON object per command, one per line: {"median_s", "runs_s", "max_rss_kb"} (max_rss_kb: the largest
of the runs, or null).
"""
import json
import re
import statistics
import subprocess
import sys
import time


def parse(words):
    setup, rest = words[0], words[1:]
    separator = rest.index("--")
    return {"setup": setup, "rss": "--rss" in rest[:separator], "command": rest[separator + 1:],
            "times": [], "peaks": []}


def run_once(job):
    if job["setup"]:
        subprocess.run(job["setup"], shell=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wrapper = ["/usr/bin/time", "-v"] if job["rss"] else []
    start = time.perf_counter()
    done = subprocess.run(wrapper + job["command"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    job["times"].append(time.perf_counter() - start)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(job['command'])}\n{done.stderr[-2000:]}")
    if job["rss"]:
        job["peaks"].append(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1)))


def main():
    runs, words = int(sys.argv[1]), sys.argv[2:]
    jobs, start = [], 0
    for index, word in enumerate(words + ["---"]):
        if word == "---":
            jobs.append(parse(words[start:index]))
            start = index + 1
    for _ in range(runs):
        for job in jobs:
            run_once(job)
    for job in jobs:
        print(json.dumps({"median_s": statistics.median(job["times"]), "runs_s": [round(t, 4) for t in job["times"]],
                          "max_rss_kb": max(job["peaks"]) if job["peaks"] else None}))


if __name__ == "__main__":
    main()
