#!/usr/bin/env python3
"""pandas peer for `nnlab bench --only import`: reads one CSV file with pandas.read_csv in this process and
prints one JSON line (rows, seconds, rows_per_s, mb_per_s, peak_rss_mb).

usage: python3 bench/pandas_peer.py FILE.csv
"""
import json
import os
import resource
import sys
import time

import pandas as pd

path = sys.argv[1]
megabytes = os.path.getsize(path) / 1e6
started = time.perf_counter()
rows = len(pd.read_csv(path))
seconds = time.perf_counter() - started
# ru_maxrss is in kilobytes on Linux and in bytes on macOS.
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
peak_mb = peak / 1e6 if sys.platform == 'darwin' else peak / 1024
print(json.dumps({'peer': 'pandas.read_csv', 'rows': rows, 'seconds': seconds, 'rows_per_s': rows / seconds,
                  'mb_per_s': megabytes / seconds, 'peak_rss_mb': peak_mb}))
