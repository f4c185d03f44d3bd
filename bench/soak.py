#!/usr/bin/env python3
"""Soak with faults: mixed load against a real `modreg serve` while `kill -9` hits it every
--kill-every seconds and it is restarted on the same data directory.

    python3 bench/soak.py [--duration 600] [--kill-every 30] [--modules 5]

Load (loopback only, a few threads, stops by itself): `/versions` reads, downloads (the
protocol's 204, then the signed archive URL, whose bytes are compared with what was
published), and publishes of new versions, each retried with the same bytes until it is
answered. At the end the server is started once more (as an operator would) and the script
checks: every release a client saw created (201, or 200 for a retry of the same bytes) is
listed and downloads with its exact bytes; no temp file is left in the blob store; no 5xx or
failed connection happened outside the restart windows (from the kill until the restarted
server is ready, plus 0.5 s). Prints the figures; exits 1 on any violation.
"""
import argparse
import hashlib
import http.client
import io
import os
import random
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
GRACE = 0.5


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def module_tarball(module, version):
    text = (f'variable "name" {{\n  type        = string\n'
            f'  description = "{module} {version}"\n}}\n\n'
            f'output "greeting" {{\n  description = "Hello"\n  value = "hi ${{var.name}}"\n}}\n')
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        info = tarfile.TarInfo("main.tf")
        data = text.encode()
        info.size, info.mode = len(data), 0o644
        tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


class Server:
    def __init__(self, modreg, data, port):
        self.modreg, self.data, self.port = modreg, data, port
        self.proc = None
        self.windows = []  # [down_at, up_at], up_at None while the server is down
        self.lock = threading.Lock()

    def start(self):
        self.proc = subprocess.Popen(
            [self.modreg, "serve", "--plain-http", "--listen", f"127.0.0.1:{self.port}",
             "--data-dir", self.data, "--workers", "2", "--access-log", "false"],
            stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", "/readyz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.02)
        raise SystemExit("error: the server did not become ready")

    def kill(self):
        """Opens a restart window (before the kill, so no failure precedes it) and kills."""
        with self.lock:
            self.windows.append([time.time(), None])
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def restart(self):
        self.start()
        with self.lock:
            self.windows[-1][1] = time.time()

    def kill_and_restart(self):
        self.kill()
        self.restart()

    def in_window(self, t0, t1):
        with self.lock:
            now = time.time()
            return any(t0 <= (up or now) + GRACE and t1 >= down for down, up in self.windows)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.violations = []

    def add(self, key, n=1):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + n

    def violation(self, text):
        with self.lock:
            self.violations.append(text)


def request(port, method, path, token=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    conn.request(method, path, body, headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, dict(resp.getheaders()), data


def judged(server, stats, kind, fn):
    """Runs one request; a 5xx or a failed connection outside a restart window is a violation."""
    t0 = time.time()
    try:
        status, headers, data = fn()
    except OSError as e:
        t1 = time.time()
        if server.in_window(t0, t1):
            stats.add(f"{kind}: failed during restart")
        else:
            stats.add(f"{kind}: failed OUTSIDE restart")
            stats.violation(f"{kind}: {e!r} at {t0:.2f} outside any restart window")
        return None
    t1 = time.time()
    if status >= 500:
        inside = server.in_window(t0, t1)
        stats.add(f"{kind}: 5xx {'during restart' if inside else 'OUTSIDE restart'}")
        if not inside:
            stats.violation(f"{kind}: {status} {data[:200]!r} at {t0:.2f} outside any "
                            "restart window")
        return None
    stats.add(f"{kind}: {status}")
    return status, headers, data


def download(server, stats, port, token, module, version):
    """Returns the archive bytes, or None when the request could not be answered."""
    got = judged(server, stats, "download", lambda: request(
        port, "GET", f"/v1/modules/{module}/{version}/download", token))
    if not got or got[0] != 204:
        return None
    location = got[1].get("X-Terraform-Get") or got[1].get("x-terraform-get")
    url = urllib.parse.urlsplit(location)
    path = url.path + (f"?{url.query}" if url.query else "")
    got = judged(server, stats, "archive", lambda: request(port, "GET", path))
    return got[2] if got and got[0] == 200 else None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--duration", type=int, default=600)
    p.add_argument("--kill-every", type=int, default=30)
    p.add_argument("--modules", type=int, default=5)
    args = p.parse_args()

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "modreg"], cwd=REPO, check=True)
    modreg = os.path.join(TARGET, "release", "modreg")
    work = tempfile.mkdtemp(prefix="modreg-soak-")
    data = os.path.join(work, "data")
    port = free_port()
    server = Server(modreg, data, port)
    server.start()

    def token(scope):
        return subprocess.run([modreg, "token", "create", "--data-dir", data, "--scope", scope,
                               "--description", f"soak {scope}"],
                              capture_output=True, text=True, check=True).stdout.strip()

    publisher, reader = token("publish:soak"), token("read")
    stats = Stats()
    created = {}  # (module, version) -> sha256 of the bytes a client saw created
    created_lock = threading.Lock()
    stop = threading.Event()
    modules = [f"soak/m{i}/aws" for i in range(args.modules)]

    def publish_loop():
        n = 0
        while not stop.is_set():
            module = modules[n % len(modules)]
            version = f"1.0.{n // len(modules)}"
            body = module_tarball(module, version)
            while not stop.is_set():  # retry the same bytes until answered
                got = judged(server, stats, "publish", lambda: request(
                    port, "PUT", f"/v1/modules/{module}/{version}", publisher, body))
                if got is None:
                    time.sleep(0.1)
                    continue
                if got[0] in (200, 201):
                    with created_lock:
                        created[(module, version)] = hashlib.sha256(body).hexdigest()
                else:
                    stats.violation(f"publish {module} {version}: {got[0]} {got[2][:200]!r}")
                break
            n += 1
            time.sleep(0.05)

    def read_loop(seed):
        rng = random.Random(seed)
        while not stop.is_set():
            with created_lock:
                known = list(created.items())
            if not known:
                time.sleep(0.05)
                continue
            (module, version), sha = rng.choice(known)
            judged(server, stats, "versions", lambda: request(
                port, "GET", f"/v1/modules/{module}/versions", reader))
            archive = download(server, stats, port, reader, module, version)
            if archive is not None and hashlib.sha256(archive).hexdigest() != sha:
                stats.violation(f"download {module} {version}: bytes differ from the published")
            time.sleep(0.005)

    threads = [threading.Thread(target=publish_loop)]
    threads += [threading.Thread(target=read_loop, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    started = time.time()
    kills = 0
    try:
        while time.time() - started < args.duration:
            time.sleep(min(args.kill_every, max(0, args.duration - (time.time() - started))))
            if time.time() - started < args.duration:
                server.kill_and_restart()
                kills += 1
    finally:
        stop.set()
        for t in threads:
            t.join()

    # The end state, as an operator would find it: kill once more, count the debris, start.
    blobs = os.path.join(data, "blobs")

    def temp_files():
        return [os.path.join(d, f) for d, _, fs in os.walk(blobs) for f in fs if ".tmp-" in f]

    server.kill()
    kills += 1
    debris = len(temp_files())
    server.restart()
    missing = wrong = 0
    for (module, version), sha in sorted(created.items()):
        status, _, body = request(port, "GET", f"/v1/modules/{module}/versions", reader)
        listed = status == 200 and f'"{version}"'.encode() in body
        archive = download(server, stats, port, reader, module, version)
        if not listed or archive is None:
            missing += 1
            stats.violation(f"{module} {version} was created but is {'unlisted' if not listed else 'not downloadable'}")
        elif hashlib.sha256(archive).hexdigest() != sha:
            wrong += 1
            stats.violation(f"{module} {version}: stored bytes differ from the published")
    server.proc.send_signal(signal.SIGTERM)
    server.proc.wait(timeout=30)
    leftover = temp_files()
    for path in leftover:
        stats.violation(f"temp file left: {path}")

    print(f"soak: {args.duration} s of mixed load, kill -9 every {args.kill_every} s "
          f"({kills} kills incl. the final one), 2 server workers, loaded machine")
    for key in sorted(stats.counts):
        print(f"  {key:<40} {stats.counts[key]:>8}")
    windows = server.windows
    downtime = sum(up - down for down, up in windows)
    print(f"  restart windows: {len(windows)}, mean kill-to-ready "
          f"{downtime / max(1, len(windows)) * 1000:.0f} ms")
    print(f"  releases a client saw created: {len(created)}; missing: {missing}; "
          f"wrong bytes: {wrong}")
    print(f"  temp files found after the final kill: {debris}; left after the restart "
          f"(which sweeps them) and a clean stop: {len(leftover)}")
    print(f"  violations: {len(stats.violations)}")
    for v in stats.violations[:20]:
        print(f"    {v}")
    subprocess.run(["rm", "-rf", work])
    sys.exit(1 if stats.violations else 0)


if __name__ == "__main__":
    main()
