"""What one kvarter process costs in memory per layer size: peak RSS of `kvarter check` and of
`kvarter serve`, and serve's RSS once loaded, each the median of RUNS runs, for the configs named.

    python3 bench/peak_rss.py BUILD/kvarter CONFIG... [--runs 3]

Peak RSS is /usr/bin/time -v's "Maximum resident set size" (the kernel's high-water mark, which
includes load's transients: GDAL's reading of the source, the tilesets being built). "Loaded" is
VmRSS of the serving process when it prints that it serves, before any request, so with an empty
tile cache (bounded by server.tile_cache_bytes, 64 MiB by default). serve is stopped with SIGTERM
once it serves. Features are counted from `kvarter check`'s "N features" lines (every layer,
derived ones too). Give a small config first (the sample): the last column, what a feature costs
beyond it, leaves out what every process costs whatever it loads (the program and its libraries).
README "Deployment" quotes the figures.
"""
import argparse
import os
import re
import signal
import statistics
import subprocess
import tempfile
import time


def max_rss_kib(time_output):
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_output).group(1))


def check(binary, config):
    """(peak RSS KiB, features) of one `kvarter check`."""
    r = subprocess.run(["/usr/bin/time", "-v", binary, "check", "--config", config], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"kvarter check {config} failed:\n{r.stdout}\n{r.stderr}")
    features = sum(int(n) for n in re.findall(r"^\S+ \([a-z_]+\): (\d+) features", r.stdout, re.M))
    return max_rss_kib(r.stderr), features


def serve(binary, config):
    """(RSS KiB once serving, peak RSS KiB) of one `kvarter serve`."""
    with tempfile.TemporaryDirectory() as data, tempfile.TemporaryFile("w+") as err:
        env = dict(os.environ, KVARTER_DATA_DIR=data)  # its proposals store, when the config names none
        p = subprocess.Popen(["/usr/bin/time", "-v", binary, "serve", "--config", config, "--port", "0",
                              "--address", "127.0.0.1", "--log-level", "warn"],
                             stdout=subprocess.PIPE, stderr=err, text=True, env=env)
        for line in p.stdout:
            if "serving" in line:
                break
        else:
            raise RuntimeError(f"kvarter serve {config} did not start")
        with open(f"/proc/{p.pid}/task/{p.pid}/children") as f:
            child = int(f.read().split()[0])  # kvarter, the child of /usr/bin/time
        with open(f"/proc/{child}/status") as f:
            loaded = int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1))
        os.kill(child, signal.SIGTERM)
        p.stdout.read()
        p.wait(120)
        err.seek(0)
        return loaded, max_rss_kib(err.read())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("binary")
    ap.add_argument("configs", nargs="+")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print("| config | features | check peak | serve loaded | serve peak | loaded, per feature beyond the first row |")
    print("|---|---:|---:|---:|---:|---:|")
    first = None  # (features, loaded KiB) of the first config: what every process costs, taken off
    for config in args.configs:
        checks = [check(args.binary, config) for _ in range(args.runs)]
        serves = []
        for _ in range(args.runs):
            serves.append(serve(args.binary, config))
            time.sleep(0.5)
        features = checks[0][1]
        check_peak = statistics.median(c[0] for c in checks)
        loaded = statistics.median(s[0] for s in serves)
        serve_peak = statistics.median(s[1] for s in serves)
        more = "" if not first or features <= first[0] else f"{(loaded - first[1]) * 1024 / (features - first[0]):.0f} B"
        first = first or (features, loaded)
        print(f"| {config} | {features} | {check_peak / 1024:.0f} MiB | {loaded / 1024:.0f} MiB | "
              f"{serve_peak / 1024:.0f} MiB | {more} |", flush=True)


if __name__ == "__main__":
    main()
