#!/usr/bin/env python3
"""Publish time against a real `modreg serve` for modules of 1k, 10k and 50k `variable`
blocks, and whether reads keep answering while a big publish runs.

    python3 bench/publish_blocks.py [--sizes 1000,10000,50000] [--workers 2]

Builds the release binary first. For each size it packs one `main.tf` of N blocks (each with
a type, a description and a default), PUTs it, and meanwhile a second connection polls
`/versions` of another module without pause, recording how many reads answered, the slowest
one, and any that failed. Loopback only; it stops by itself. The machine is shared and noisy:
compare figures within one run.
"""
import argparse
import http.client
import io
import os
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.01)
    raise SystemExit(f"not ready: {url}")


def tarball(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def blocks_module(n):
    text = "".join(
        f'variable "input_{i}" {{\n  type        = string\n'
        f'  description = "Input number {i}."\n  default     = "v{i}"\n}}\n\n'
        for i in range(n))
    return tarball({"main.tf": text.encode()})


def put(port, path, body, token):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("PUT", path, body, {"Authorization": f"Bearer {token}"})
    resp = conn.getresponse()
    text = resp.read()
    conn.close()
    return resp.status, text


class Reader(threading.Thread):
    """Polls `/versions` on one keep-alive connection until told to stop."""

    def __init__(self, port, token):
        super().__init__(daemon=True)
        self.port, self.token = port, token
        self.stop = threading.Event()
        self.ok = self.failed = 0
        self.slowest = 0.0

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while not self.stop.is_set():
            t0 = time.perf_counter()
            try:
                conn.request("GET", "/v1/modules/bench/reads/aws/versions",
                             headers={"Authorization": f"Bearer {self.token}"})
                resp = conn.getresponse()
                resp.read()
                good = resp.status == 200
            except Exception:
                good = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.slowest = max(self.slowest, time.perf_counter() - t0)
            if good:
                self.ok += 1
            else:
                self.failed += 1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="1000,10000,50000")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "modreg"], cwd=REPO, check=True)
    modreg = os.path.join(TARGET, "release", "modreg")
    work = tempfile.mkdtemp(prefix="modreg-blocks-")
    data = os.path.join(work, "data")
    port = free_port()
    server = subprocess.Popen(
        [modreg, "serve", "--plain-http", "--listen", f"127.0.0.1:{port}", "--data-dir", data,
         "--workers", str(args.workers), "--access-log", "false"],
        stderr=subprocess.DEVNULL)
    try:
        wait_ready(f"http://127.0.0.1:{port}/readyz")

        def token(scope):
            return subprocess.run(
                [modreg, "token", "create", "--data-dir", data, "--scope", scope,
                 "--description", f"bench {scope}"],
                capture_output=True, text=True, check=True).stdout.strip()

        publisher, reader_token = token("publish:bench"), token("read")
        status, text = put(port, "/v1/modules/bench/reads/aws/1.0.0", blocks_module(1),
                           publisher)
        if status != 201:
            raise SystemExit(f"seeding failed: {status} {text[:200]!r}")

        print(f"modreg publish of N `variable` blocks ({args.workers} server workers, "
              f"{os.cpu_count()} cores, loaded machine), reads polled during each publish")
        print(f"{'blocks':>8} {'tar.gz KB':>10} {'publish s':>10} {'status':>7} "
              f"{'reads ok':>9} {'failed':>7} {'slowest read ms':>16}")
        failures = 0
        for n in sizes:
            body = blocks_module(n)
            reader = Reader(port, reader_token)
            reader.start()
            time.sleep(0.05)
            t0 = time.perf_counter()
            status, text = put(port, f"/v1/modules/bench/blocks{n}/aws/1.0.0", body, publisher)
            elapsed = time.perf_counter() - t0
            time.sleep(0.05)
            reader.stop.set()
            reader.join()
            if status != 201 or reader.failed or reader.ok == 0:
                failures += 1
                print(f"  unexpected: {status} {text[:200]!r}", file=sys.stderr)
            print(f"{n:>8} {len(body) / 1024:>10.0f} {elapsed:>10.3f} {status:>7} "
                  f"{reader.ok:>9} {reader.failed:>7} {reader.slowest * 1000:>16.1f}")
        sys.exit(1 if failures else 0)
    finally:
        server.terminate()
        server.wait(timeout=15)
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
