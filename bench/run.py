#!/usr/bin/env python3
"""modreg benchmark: prints req/s, p50/p99, server CPU per request, RSS, start-up and publish
time, side by side with a bare actix-web handler in the same run.

    python3 bench/run.py [--modules 10000] [--versions 10] [--duration 5] [--rounds 3]

The servers run with the defaults a user gets from the README: every MODREG_* variable of the
calling shell is removed (`--env KEY=VALUE` sets one, and the run prints it), so the log level
is `info` with the access log on, and their stderr drains through a pipe as under a service
manager. Each modreg figure is divided by the bare handler's figure measured just before it,
in interleaved rounds; the table prints the median ratio and its spread.

Needs wrk (Debian `wrk`) and openssl. Builds the release binaries first. The machines are
shared and noisy: compare the ratios within one run, not absolute figures across runs.
"""
import argparse
import os
import re
import select
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
    wrk(url, kind, token, 1, env_extra)  # warm-up: fill caches, JIT the Lua
    before = cpu_seconds(pid)
    rps, p50, p99, total, errors = wrk(url, kind, token, args.duration, env_extra)
    cpu_us = (cpu_seconds(pid) - before) / max(total, 1) * 1e6
    return dict(name=name, rps=rps, p50=p50, p99=p99, cpu_us=cpu_us, errors=errors)


def server_env(extra):
    """The environment `modreg serve` runs with: this one without any MODREG_* variable, so
    the run uses the defaults a user gets from the README, plus the `--env` pairs given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODREG_")}
    env.update(extra)
    return env


def read_startup_log(fd, timeout=2.0):
    """The lines a server wrote up to and including `modreg is serving` (none when its log
    level hides them), read without taking more of the pipe than that."""
    text, deadline = b"", time.time() + timeout
    while not (b"modreg is serving" in text and text.endswith(b"\n")) and time.time() < deadline:
        if select.select([fd], [], [], 0.1)[0]:
            chunk = os.read(fd, 1)
            if not chunk:
                break
            text += chunk
    return text.decode(errors="replace").splitlines()


def median(values):
    return sorted(values)[len(values) // 2]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--modules", type=int, default=10000)
    p.add_argument("--versions", type=int, default=10)
    p.add_argument("--duration", type=int, default=5, help="seconds per measurement")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                   help="set a variable for the modreg servers (printed; default: none)")
    args = p.parse_args()
    for tool in ("wrk", "openssl"):
        if not shutil.which(tool):
            raise SystemExit(f"error: {tool} is not installed (apt-get install {tool})")
    extra = dict(pair.split("=", 1) for pair in args.env)

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
    env = server_env(extra)
    startup_lines = []
    try:
        plain_port, tls_port, bare_port = free_port(), free_port(), free_port()
        common = ["--data-dir", data, "--workers", str(args.workers)]
        started = time.time()
        plain = subprocess.Popen([modreg, "serve", "--plain-http", "--listen",
                                  f"127.0.0.1:{plain_port}", *common],
                                 env=env, stderr=subprocess.PIPE)
        procs.append(plain)
        wait_ready(f"http://127.0.0.1:{plain_port}/readyz")
        startup_ms = (time.time() - started) * 1000
        # The start-up lines say what the server runs with (log level, runtime, workers); then
        # its stderr, access log included, drains through a pipe as under a service manager.
        startup_lines = read_startup_log(plain.stderr.fileno())
        drain = subprocess.Popen(["cat"], stdin=plain.stderr, stdout=subprocess.DEVNULL)
        procs.append(drain)
        tls = subprocess.Popen([modreg, "serve", "--tls-cert", cert, "--tls-key", key,
                                "--listen", f"127.0.0.1:{tls_port}", *common],
                               env=env, stderr=subprocess.PIPE)
        procs.append(tls)
        procs.append(subprocess.Popen(["cat"], stdin=tls.stderr, stdout=subprocess.DEVNULL))
        wait_ready(f"https://127.0.0.1:{tls_port}/readyz")
        bare = subprocess.Popen([os.path.join(TARGET, "release", "examples", "bench_bare"),
                                 f"127.0.0.1:{bare_port}", str(args.workers)])
        procs.append(bare)
        wait_ready(f"http://127.0.0.1:{bare_port}/")

        endpoints = [(f"{kind} ({scheme})", url, kind, pid)
                     for scheme, url, pid in (("HTTP", f"http://127.0.0.1:{plain_port}", plain.pid),
                                              ("HTTPS", f"https://127.0.0.1:{tls_port}", tls.pid))
                     for kind in ("discovery", "versions", "download")]
        # Interleaved rounds: each modreg figure is compared with the bare handler measured
        # just before it, so a change in the machine's load moves both sides of a ratio.
        rounds = []
        for _ in range(args.rounds):
            rows = []
            for name, url, kind, pid in endpoints:
                base = measure("bare", f"http://127.0.0.1:{bare_port}", "versions", token,
                               bare.pid, args, env_extra)
                rows.append((name, base, measure(name, url, kind, token, pid, args, env_extra)))
            rounds.append(rows)
        rss = rss_mb(plain.pid)

        publish_ms = publish_1mb(modreg, data, plain_port, work)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nmodreg benchmark: {args.modules * args.versions} releases "
          f"({args.modules} modules x {args.versions} versions), wrk -t2 -c32 -d{args.duration}s, "
          f"{args.rounds} interleaved rounds, {os.cpu_count()} cores shared with wrk")
    print("server settings: the defaults (no MODREG_* variable"
          + (f"; set: {' '.join(args.env)}" if args.env else "")
          + f"), --workers {args.workers}, stderr to a pipe drained by cat")
    print("server start-up log:")
    for line in startup_lines:
        print(f"  {line}")
    print(f"\n{'endpoint':18} {'req/s':>9} {'bare req/s':>10} {'vs bare':>8} {'spread':>11} "
          f"{'p99 ms':>7} {'p99/bare':>9} {'CPU us/req':>10} {'bare CPU':>9}")
    failed = []
    for i, (name, _, _, _) in enumerate(endpoints):
        samples = [r[i] for r in rounds]
        ratios = [m["rps"] / b["rps"] for _, b, m in samples]
        p99s = [m["p99"] / b["p99"] for _, b, m in samples]
        m = {k: median([s[2][k] for s in samples]) for k in ("rps", "p99", "cpu_us")}
        b = {k: median([s[1][k] for s in samples]) for k in ("rps", "cpu_us")}
        print(f"{name:18} {m['rps']:9.0f} {b['rps']:10.0f} {median(ratios):8.0%} "
              f"{min(ratios):5.0%}-{max(ratios):4.0%} {m['p99']:7.2f} {median(p99s):9.2f} "
              f"{m['cpu_us']:10.1f} {b['cpu_us']:9.1f}")
        if any(s[2]["errors"] or s[1]["errors"] for s in samples):
            failed.append(name)
    print("(medians of the rounds; `spread` is the lowest and highest ratio of a round)")
    print(f"\nseeding the index:          {seed_s:.1f} s")
    print(f"start-up to ready (HTTP):   {startup_ms:.0f} ms")
    print(f"RSS after load (HTTP):      {rss:.0f} MB")
    print(f"publish 1 MB module:        {publish_ms[0]:.0f} ms (HTTP PUT of the packed tarball), "
          f"{publish_ms[1]:.0f} ms (`modreg publish` incl. pack and process start)")
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
