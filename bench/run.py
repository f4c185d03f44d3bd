#!/usr/bin/env python3
"""modreg benchmark: prints req/s, p50/p99, server CPU per request, RSS, start-up and publish
time, side by side with a bare actix-web handler in the same run.

    python3 bench/run.py [--modules 10000] [--versions 10] [--duration 10]

Needs wrk (Debian `wrk`) and openssl. Builds the release binaries first. The machines are
shared and noisy: compare the ratios within one run, not absolute figures across runs.
"""
import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import http.client
import ssl

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
LUA = os.path.join(REPO, "bench", "random.lua")
TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait_ready(url, timeout=30):
    ctx = ssl._create_unverified_context()
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, context=ctx, timeout=1) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.005)
    raise SystemExit(f"not ready: {url}")


def to_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def wrk(url, kind, token, duration, env_extra):
    env = dict(os.environ, BENCH_KIND=kind, BENCH_TOKEN=token, **env_extra)
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{duration}s", "--latency", "-s", LUA, url],
        env=env, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p50, p99, total, int(errors.group(1)) if errors else 0


def measure(name, url, kind, token, pid, args, env_extra):
    wrk(url, kind, token, 2, env_extra)  # warm-up: fill caches, JIT the Lua
    before = cpu_seconds(pid)
    rps, p50, p99, total, errors = wrk(url, kind, token, args.duration, env_extra)
    cpu_us = (cpu_seconds(pid) - before) / max(total, 1) * 1e6
    return dict(name=name, rps=rps, p50=p50, p99=p99, cpu_us=cpu_us, errors=errors)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--modules", type=int, default=10000)
    p.add_argument("--versions", type=int, default=10)
    p.add_argument("--duration", type=int, default=10)
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    for tool in ("wrk", "openssl"):
        if not shutil.which(tool):
            raise SystemExit(f"error: {tool} is not installed (apt-get install {tool})")

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "modreg", "-p", "modreg-registry",
                    "--examples", "--bins"], cwd=REPO, check=True)
    modreg = os.path.join(TARGET, "release", "modreg")
    work = tempfile.mkdtemp(prefix="modreg-bench-")
    data = os.path.join(work, "data")
    t0 = time.time()
    token = subprocess.run(
        [os.path.join(TARGET, "release", "examples", "bench_seed"), data,
         str(args.modules), str(args.versions)],
        capture_output=True, text=True, check=True).stdout.strip()
    seed_s = time.time() - t0
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=127.0.0.1",
                    "-days", "1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)

    procs = []
    env_extra = dict(BENCH_MODULES=str(args.modules), BENCH_VERSIONS=str(args.versions))
    try:
        plain_port, tls_port, bare_port = free_port(), free_port(), free_port()
        common = ["--data-dir", data, "--workers", str(args.workers), "--access-log", "false"]
        started = time.time()
        plain = subprocess.Popen([modreg, "serve", "--plain-http", "--listen",
                                  f"127.0.0.1:{plain_port}", *common],
                                 stderr=subprocess.DEVNULL)
        procs.append(plain)
        wait_ready(f"http://127.0.0.1:{plain_port}/readyz")
        startup_ms = (time.time() - started) * 1000
        tls = subprocess.Popen([modreg, "serve", "--tls-cert", cert, "--tls-key", key,
                                "--listen", f"127.0.0.1:{tls_port}", *common],
                               stderr=subprocess.DEVNULL)
        procs.append(tls)
        wait_ready(f"https://127.0.0.1:{tls_port}/readyz")
        bare = subprocess.Popen([os.path.join(TARGET, "release", "examples", "bench_bare"),
                                 f"127.0.0.1:{bare_port}", str(args.workers)])
        procs.append(bare)
        wait_ready(f"http://127.0.0.1:{bare_port}/")

        rows = [measure("bare actix-web handler (HTTP)", f"http://127.0.0.1:{bare_port}",
                        "versions", token, bare.pid, args, env_extra)]
        for kind in ("discovery", "versions", "download"):
            rows.append(measure(f"{kind} (HTTP)", f"http://127.0.0.1:{plain_port}", kind,
                                token, plain.pid, args, env_extra))
        for kind in ("discovery", "versions", "download"):
            rows.append(measure(f"{kind} (HTTPS)", f"https://127.0.0.1:{tls_port}", kind,
                                token, tls.pid, args, env_extra))
        rss = rss_mb(plain.pid)

        publish_ms = publish_1mb(modreg, data, plain_port, work)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)

    base = rows[0]
    print(f"\nmodreg benchmark: {args.modules * args.versions} releases "
          f"({args.modules} modules x {args.versions} versions), wrk -t2 -c32 -d{args.duration}s, "
          f"{args.workers} server workers, {os.cpu_count()} cores shared with wrk\n")
    print(f"{'endpoint':34} {'req/s':>9} {'vs bare':>8} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'p99/bare':>9} {'CPU us/req':>10} {'non-2xx':>8}")
    for r in rows:
        print(f"{r['name']:34} {r['rps']:9.0f} {r['rps'] / base['rps']:8.0%} {r['p50']:8.2f} "
              f"{r['p99']:8.2f} {r['p99'] / base['p99']:9.2f} {r['cpu_us']:10.1f} {r['errors']:8d}")
    print(f"\nseeding the index:          {seed_s:.1f} s")
    print(f"start-up to ready (HTTP):   {startup_ms:.0f} ms")
    print(f"RSS after load (HTTP):      {rss:.0f} MB")
    print(f"publish 1 MB module:        {publish_ms[0]:.0f} ms (HTTP PUT of the packed tarball), "
          f"{publish_ms[1]:.0f} ms (`modreg publish` incl. pack and process start)")
    failed = [r["name"] for r in rows if r["errors"]]
    if failed:
        print(f"error: non-2xx responses in {failed}", file=sys.stderr)
        sys.exit(1)


def publish_1mb(modreg, data, port, work):
    token = subprocess.run([modreg, "token", "create", "--data-dir", data, "--scope",
                            "publish:bench", "--description", "bench publish"],
                           capture_output=True, text=True, check=True).stdout.strip()
    module = os.path.join(work, "big")
    os.makedirs(module)
    with open(os.path.join(module, "main.tf"), "w") as f:
        f.write('variable "x" {\n  type        = string\n  description = "x"\n}\n')
    with open(os.path.join(module, "blob.txt"), "wb") as f:
        f.write(os.urandom(1024 * 1024))  # incompressible: the tarball is ~1 MB
    # Time the HTTP publish of the packed bytes, then the whole CLI for a second version.
    packed = os.path.join(work, "big.tar.gz")
    subprocess.run(["tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "-czf",
                    packed, "-C", module, "."], check=True)
    body = open(packed, "rb").read()
    conn = http.client.HTTPConnection("127.0.0.1", port)
    t0 = time.time()
    conn.request("PUT", "/v1/modules/bench/big/aws/1.0.0", body,
                 {"Authorization": f"Bearer {token}"})
    resp = conn.getresponse()
    resp.read()
    put_ms = (time.time() - t0) * 1000
    if resp.status != 201:
        raise SystemExit(f"publish failed: {resp.status}")
    t0 = time.time()
    subprocess.run([modreg, "publish", module, "--module", "bench/big/aws", "--version", "1.0.1",
                    "--url", f"http://127.0.0.1:{port}", "--token", token],
                   check=True, capture_output=True)
    cli_ms = (time.time() - t0) * 1000
    return put_ms, cli_ms


if __name__ == "__main__":
    main()
