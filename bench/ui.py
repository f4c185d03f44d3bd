#!/usr/bin/env python3
"""modreg UI benchmark: server-side page times with 10,000 modules indexed.

    python3 bench/ui.py [--modules 10000] [--versions 10] [--requests 200]

Seeds 10,000 synthetic modules x 10 versions (bench_seed), starts `modreg serve` over plain
HTTP, publishes this repository's vpc module (the largest README and interface) and a module
whose README is hostile (256 KiB of deep nesting and raw HTML; 128 KiB is rendered), then requests each page
sequentially over one keep-alive connection on loopback and prints p50/p95/max in ms. With
one connection and nothing else in flight, the time to the last byte is the server's time
plus a loopback round trip. The machine is shared: compare rows within one run.
"""
import argparse
import http.client
import os
import random
import statistics
import subprocess
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
TARGET_MS = 50.0


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.02)
    raise SystemExit("error: modreg serve did not become ready")


def hostile_module(directory):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "main.tf"), "w") as f:
        f.write('variable "x" {\n  type        = string\n  description = "x"\n}\n')
    parts = [">" * 5000 + " deep quote\n\n", "<div>" * 20000 + "\n\n",
             "".join("  " * i + "- item\n" for i in range(2000)), "*" * 20000 + "\n\n",
             "[a](javascript:alert(1)) " * 2000]
    readme = "# Hostile\n\n" + "".join(parts)
    with open(os.path.join(directory, "README.md"), "w") as f:
        f.write(readme[: 256 * 1024])


def timed(conn, path, token):
    start = time.perf_counter()
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        raise SystemExit(f"error: GET {path} answered {response.status}: {body[:300]!r}")
    return elapsed, len(body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--modules", type=int, default=10_000)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "modreg", "-p", "modreg-registry",
                    "--example", "bench_seed", "--bins"], cwd=REPO, check=True)
    modreg = os.path.join(TARGET, "release", "modreg")
    work = tempfile.mkdtemp(prefix="modreg-ui-bench-")
    data = os.path.join(work, "data")
    read = subprocess.run([os.path.join(TARGET, "release", "examples", "bench_seed"), data,
                           str(args.modules), str(args.versions)],
                          capture_output=True, text=True, check=True).stdout.strip()
    publish = subprocess.run([modreg, "token", "create", "--data-dir", data, "--scope",
                              "publish:platform", "--description", "ui bench"],
                             capture_output=True, text=True, check=True).stdout.strip()
    port = free_port()
    server = subprocess.Popen([modreg, "serve", "--plain-http", "--listen", f"127.0.0.1:{port}",
                               "--data-dir", data, "--workers", "2", "--access-log", "false"],
                              stderr=subprocess.DEVNULL)
    try:
        wait_ready(port)
        url = f"http://127.0.0.1:{port}"
        env = dict(os.environ, MODREG_TOKEN=publish)
        for version in ("1.0.0", "1.1.0"):
            subprocess.run([modreg, "publish", os.path.join(REPO, "modules", "vpc"), "--module",
                            "platform/vpc/aws", "--version", version, "--url", url],
                           env=env, check=True, capture_output=True)
        hostile = os.path.join(work, "hostile")
        hostile_module(hostile)
        subprocess.run([modreg, "publish", hostile, "--module", "platform/hostile/aws",
                        "--version", "1.0.0", "--url", url], env=env, check=True, capture_output=True)

        rng = random.Random(7)
        n = args.modules
        pages = [
            ("home, page 1 of all", lambda: "/ui/"),
            ("home, page 250", lambda: "/ui/?page=250"),
            ("search by text (scans descriptions)", lambda: f"/ui/?q=module-{rng.randrange(n):06d}"),
            ("search with no match", lambda: "/ui/?q=no-such-module-anywhere"),
            ("filter by namespace, page 3", lambda: f"/ui/?namespace=bench{rng.randrange(50)}&page=3"),
            (f"module page, random of {n}", lambda: (lambda i: f"/ui/bench{i % 50}/module-{i:06d}/aws")(rng.randrange(n))),
            ("module page, vpc (real README)", lambda: "/ui/platform/vpc/aws"),
            ("module version page, vpc 1.0.0", lambda: "/ui/platform/vpc/aws/1.0.0"),
            ("diff page, vpc 1.0.0 -> 1.1.0", lambda: "/ui/platform/vpc/aws/diff?from=1.0.0&to=1.1.0"),
            ("module page, hostile README (256 KiB)", lambda: "/ui/platform/hostile/aws"),
        ]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        print(f"modreg UI benchmark: {n} modules x {args.versions} versions indexed, "
              f"{args.requests} sequential requests per page over one connection, "
              f"2 server workers, {os.cpu_count()} cores (shared)")
        print(f"{'page':40} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'KiB':>7}")
        worst = 0.0
        for name, path in pages:
            for _ in range(10):
                timed(conn, path(), read)  # warm-up
            times, size = [], 0
            for _ in range(args.requests):
                elapsed, size = timed(conn, path(), read)
                times.append(elapsed)
            times.sort()
            p50 = statistics.median(times)
            p95 = times[int(len(times) * 0.95) - 1]
            worst = max(worst, p95)
            print(f"{name:40} {p50:8.2f} {p95:8.2f} {times[-1]:8.2f} {size / 1024:7.1f}")
        verdict = "met" if worst < TARGET_MS else "MISSED"
        print(f"\nslowest p95: {worst:.2f} ms (target < {TARGET_MS:.0f} ms: {verdict})")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
