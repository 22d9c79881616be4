#!/usr/bin/env python3
"""Runs a command several times as a whole process and prints the median wall time and the peak memory.

Usage: measure.py RUNS SETUP [--rss] -- COMMAND ARGS...
SETUP is a shell command run (untimed) before each run, "" for none. With --rss each run goes through
/usr/bin/time -v, whose "Maximum resident set size" is the peak memory (left out otherwise: it adds a process
to each run, which shows on commands of a few milliseconds). The wall time is measured here around the process.
Prints one JSON object: {"median_s", "runs_s", "max_rss_kb"} (max_rss_kb: the largest of the runs, or null).
"""
import json
import re
import statistics
import subprocess
import sys
import time


def main():
    runs, setup, rss = int(sys.argv[1]), sys.argv[2], "--rss" in sys.argv[3:sys.argv.index("--")]
    command = sys.argv[sys.argv.index("--") + 1:]
    wrapper = ["/usr/bin/time", "-v"] if rss else []
    times, peaks = [], []
    for _ in range(runs):
        if setup:
            subprocess.run(setup, shell=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        start = time.perf_counter()
        done = subprocess.run(wrapper + command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr[-2000:]}")
        if rss:
            peaks.append(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1)))
    print(json.dumps({"median_s": statistics.median(times), "runs_s": [round(t, 4) for t in times],
                      "max_rss_kb": max(peaks) if peaks else None}))


if __name__ == "__main__":
    main()
