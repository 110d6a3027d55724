#!/usr/bin/env python3
"""Fetches profiled responses from a demo server and checks each is a complete report of its
format, with full parsers (json, gzip) rather than the prefix checks wrk's Lua can afford.

    loadtest-validate.py BASE_URL --every-route-once --workers W   (warm-up: every route x format)
    loadtest-validate.py BASE_URL --count N --workers W     (N requests from W threads)

Prints one summary line `VALIDATE checked=N valid=N invalid=N formats=...` and exits 1 if any
response was not a valid report. Python 3 standard library only.
"""
import argparse
import concurrent.futures
import gzip
import json
import sys
import urllib.request

ROUTES = ["/cpu?n=20000", "/json?count=200", "/db?q=item-1", "/sleep?ms=2", "/"]
FORMATS = ["html", "text", "json", "speedscope", "collapsed", "pprof"]
HTML_DATA_OPEN = '<script type="application/json" id="profile-data">'


def check(fmt, body, samples=None):
    """None when `body` is a valid `fmt` report, else the reason it is not. `samples`: the
    response's X-Profile-Samples (a request shorter than the interval may have none)."""
    if fmt == "html":
        text = body.decode("utf-8")
        if not text.lower().startswith("<!doctype html") or "</html>" not in text:
            return "not an HTML page"
        start = text.find(HTML_DATA_OPEN)
        if start < 0:
            return "no embedded profile data"
        data = text[start + len(HTML_DATA_OPEN):text.find("</script>", start)]
        json.loads(data)
    elif fmt == "json":
        report = json.loads(body)
        if report.get("schema") != "swift-request-profiler.report":
            return "schema is %r" % report.get("schema")
        if "metadata" not in report:
            return "no metadata"
    elif fmt == "speedscope":
        document = json.loads(body)
        if "speedscope" not in document.get("$schema", ""):
            return "no speedscope $schema"
        if not document.get("profiles") or "frames" not in document.get("shared", {}):
            return "no profiles or shared frames"
    elif fmt == "text":
        text = body.decode("utf-8")
        if "GET" not in text:
            return "text report without the request line"
    elif fmt == "collapsed":
        lines = body.decode("utf-8").splitlines()
        if not lines and samples != "0":
            return "empty, and X-Profile-Samples is %r" % samples
        for line in lines:
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                return "not a folded stack: %r" % line[:120]
    elif fmt == "pprof":
        if not body.startswith(b"\x1f\x8b") or not gzip.decompress(body):
            return "not gzip"
    return None


def fetch(base, route, fmt):
    separator = "&" if "?" in route else "?"
    url = "%s%s%sprofile=1&profile_interval=0.1ms&profile_format=%s" % (base, route, separator, fmt)
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            body = response.read()
            if response.status != 200:
                return fmt, "HTTP %d for %s" % (response.status, url)
            if response.headers.get("X-Profile-Skipped"):
                return fmt, "skipped: %s" % response.headers["X-Profile-Skipped"]
            samples = response.headers.get("X-Profile-Samples")
        problem = check(fmt, body, samples)
    except Exception as error:  # a parse error or HTTP error is an invalid answer, not a crash
        problem = "%s: %s" % (type(error).__name__, error)
    return fmt, problem and "%s (%s)" % (problem, url)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--every-route-once", action="store_true")
    parser.add_argument("--count", type=int, default=240)
    parser.add_argument("--workers", type=int, default=4)
    options = parser.parse_args()

    if options.every_route_once:
        jobs = [(route, fmt) for route in ROUTES for fmt in FORMATS]
    else:
        jobs = [(ROUTES[i % len(ROUTES)], FORMATS[i // len(ROUTES) % len(FORMATS)]) for i in range(options.count)]
    workers = options.workers
    counts = {fmt: 0 for fmt in FORMATS}
    problems = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        for fmt, problem in pool.map(lambda job: fetch(options.base, *job), jobs):
            if problem:
                problems.append(problem)
            else:
                counts[fmt] += 1
    formats = " ".join("%s=%d" % item for item in counts.items())
    print("VALIDATE checked=%d valid=%d invalid=%d formats=%s" % (len(jobs), len(jobs) - len(problems), len(problems), formats))
    for problem in problems[:5]:
        print("VALIDATE_PROBLEM " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
