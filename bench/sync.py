#!/usr/bin/env python3
"""Replica sync on S3 (moto): two `modreg serve` replicas A and B on one bucket, each with its
own copy of an index of `--modules x --versions` releases (100,000 by default). `--publishes`
releases are published on A, one every `--interval` seconds, while a poller reads B's
`versions` endpoint every 50 ms; the delay of each is the time from A's `201` to B listing
it. Then wrk reads `versions` of random modules on B (filling its caches) and the RSS of
both replicas is read from /proc.

    python3 bench/sync.py [--modules 10000] [--versions 10] [--publishes 100]
                          [--interval 0.5] [--sync-secs 5] [--duration 5]
                          [--profile dev|release]

Needs wrk and moto_server (`eval "$(bash tests/setup.sh)"`). The delay is bound by
`sync_secs` (a round every that long: expect about half of it on average, all of it at most,
plus the round itself), not by the build profile. The machine is shared and noisy.
"""
import argparse
import http.client
import io
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import free_port, measure, rss_mb, wait_ready  # noqa: E402
from s3 import AWS_ENV, s3_flags, seeded_data_dirs, start_moto  # noqa: E402

MAIN_TF = b'variable "name" {\n  type        = string\n  description = "who"\n}\n'


def tarball():
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        info = tarfile.TarInfo("main.tf")
        info.size = len(MAIN_TF)
        tar.addfile(info, io.BytesIO(MAIN_TF))
    return buf.getvalue()


def get(port, path, token):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--modules", type=int, default=10000)
    p.add_argument("--versions", type=int, default=10)
    p.add_argument("--publishes", type=int, default=100)
    p.add_argument("--interval", type=float, default=0.5)
    p.add_argument("--sync-secs", type=int, default=5)
    p.add_argument("--duration", type=int, default=5)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--profile", choices=("release", "dev"), default="dev")
    args = p.parse_args()
    modreg, work, read_token, (a_data, b_data) = seeded_data_dirs(
        args, "modreg-bench-sync-", ("a", "b"))
    env = dict(os.environ, MODREG_SYNC_SECS=str(args.sync_secs), **AWS_ENV)
    env_extra = dict(BENCH_MODULES=str(args.modules), BENCH_VERSIONS=str(args.versions))

    procs = []
    seen = {}
    try:
        moto_port, a_port, b_port = free_port(), free_port(), free_port()
        procs.append(start_moto(moto_port))
        common = ["--plain-http", "--workers", str(args.workers), "--access-log", "false",
                  *s3_flags(moto_port)]
        a = subprocess.Popen([modreg, "serve", "--data-dir", a_data, "--listen",
                              f"127.0.0.1:{a_port}", *common], env=env,
                             stderr=subprocess.DEVNULL)
        procs.append(a)
        b = subprocess.Popen([modreg, "serve", "--data-dir", b_data, "--listen",
                              f"127.0.0.1:{b_port}", *common], env=env,
                             stderr=subprocess.DEVNULL)
        procs.append(b)
        wait_ready(f"http://127.0.0.1:{a_port}/readyz")
        wait_ready(f"http://127.0.0.1:{b_port}/readyz")

        # The operator's way: a token made against the bucket, picked up by A's sync.
        publish_token = subprocess.run(
            [modreg, "token", "create", "--scope", "publish:bench", "--description",
             "bench sync", "--data-dir", os.path.join(work, "cli"), *s3_flags(moto_port)],
            env=env, capture_output=True, text=True, check=True).stdout.strip()
        deadline = time.time() + 4 * args.sync_secs + 10
        while get(a_port, "/v1/modules/bench/sync/aws/versions", publish_token)[0] == 401:
            if time.time() > deadline:
                raise SystemExit("A never accepted the token created against the bucket")
            time.sleep(0.1)

        versions = [f"1.{i}.0" for i in range(args.publishes)]
        published = {}
        done = threading.Event()

        slow_polls = []

        def poll_b():
            while not done.is_set():
                try:
                    status, body = get(b_port, "/v1/modules/bench/sync/aws/versions",
                                       read_token)
                except OSError as e:  # a timeout on a loaded machine: note it, poll again
                    slow_polls.append(repr(e))
                    continue
                now = time.time()
                if status == 200:
                    for v in versions:
                        if v not in seen and f'"{v}"'.encode() in body:
                            seen[v] = now
                time.sleep(0.05)

        poller = threading.Thread(target=poll_b)
        poller.start()
        body = tarball()
        for v in versions:
            conn = http.client.HTTPConnection("127.0.0.1", a_port)
            conn.request("PUT", f"/v1/modules/bench/sync/aws/{v}", body,
                         {"Authorization": f"Bearer {publish_token}"})
            resp = conn.getresponse()
            resp.read()
            published[v] = time.time()
            if resp.status != 201:
                raise SystemExit(f"publish {v} on A failed: {resp.status}")
            time.sleep(args.interval)
        deadline = time.time() + 4 * args.sync_secs + 10
        while len(seen) < len(versions) and time.time() < deadline:
            time.sleep(0.1)
        done.set()
        poller.join()
        missing = [v for v in versions if v not in seen]

        load = measure("versions (B)", f"http://127.0.0.1:{b_port}", "versions", read_token,
                       b.pid, args, env_extra)
        rss_a, rss_b = rss_mb(a.pid), rss_mb(b.pid)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)

    delays = sorted((seen[v] - published[v]) * 1000 for v in seen)
    print(f"\nreplica sync on S3 (moto), {args.profile} build: {args.publishes} publishes on A, "
          f"one every {args.interval} s, observed on B's versions endpoint (polled every 50 ms); "
          f"sync_secs = {args.sync_secs}; {os.cpu_count()} cores shared with moto, wrk and "
          f"the other processes on this machine\n")
    print(f"sync delay:  p50 {statistics.median(delays):.0f} ms, "
          f"max {max(delays):.0f} ms, min {min(delays):.0f} ms over {len(delays)} releases")
    print(f"RSS with {args.modules * args.versions + args.publishes} releases on S3: "
          f"A {rss_a:.0f} MB, B {rss_b:.0f} MB (B after wrk -d{args.duration}s of versions "
          f"over random modules: {load['rps']:.0f} req/s, {load['errors']} non-2xx)")
    if slow_polls:
        print(f"note: {len(slow_polls)} polls of B timed out after 10 s ({slow_polls[0]}); "
              "the delays above include them")
    if missing:
        print(f"error: B never listed {missing}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
