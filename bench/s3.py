#!/usr/bin/env python3
"""modreg on S3 (moto) versus local storage, in one run: versions and download req/s of two
`modreg serve` processes on the same seeded index, one with local storage and one with
`--storage s3` (the hot path must not touch S3: target >= 95 % of local), download req/s of a
third one with `--s3-presigned-downloads` (a presigned S3 URL, cached per expiry step, instead
of the signed archive route), the publish of a 1 MB module to each, and `modreg reindex` of
10,000 releases from the bucket.

    python3 bench/s3.py [--modules 10000] [--versions 10] [--duration 10] [--reindex 10000]
                        [--profile release|dev]

Needs wrk (Debian `wrk`) and moto_server (`eval "$(bash tests/setup.sh)"`). Builds the
binaries of `--profile` first (release by default; `dev` where a release build does not fit,
which makes absolute figures meaningless but keeps the S3/local ratios comparable). The
machine is shared and noisy: compare ratios within one run.
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import REPO, TARGET, free_port, measure, publish_1mb, wait_ready  # noqa: E402

BUCKET = "modreg-bench"
# moto does not check signatures but wants to know the caller.
MOTO_AUTH = {"Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/s3/"
                               "aws4_request, SignedHeaders=host, Signature=0"}
AWS_ENV = dict(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_EC2_METADATA_DISABLED="true")


def start_moto(port):
    proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.time() > deadline:
                raise SystemExit("moto_server did not start")
            time.sleep(0.05)
    urllib.request.urlopen(urllib.request.Request(
        f"http://127.0.0.1:{port}/{BUCKET}", method="PUT", headers=MOTO_AUTH)).read()
    return proc


def s3_flags(moto_port, prefix=""):
    flags = ["--storage", "s3", "--s3-bucket", BUCKET, "--s3-region", "us-east-1",
             "--s3-path-style", "--s3-endpoint", f"http://127.0.0.1:{moto_port}"]
    return flags + (["--s3-prefix", prefix] if prefix else [])


def put_manifests(moto_port, prefix, template, count, per_module=10):
    """Writes `count` manifests (copies of `template` at other addresses) straight into the
    bucket, as publishes would have; returns how long it took."""
    def batch(start):
        conn = http.client.HTTPConnection("127.0.0.1", moto_port)
        for i in range(start, min(start + 500, count)):
            m = dict(template, namespace="reindex", name=f"module-{i // per_module:05d}",
                     version=f"1.{i % per_module}.0")
            if "archive" in m:  # a manifest names its own module's tarball, or is refused
                m["archive"] = f"modules/reindex/{m['name']}/aws/sha256/{m['sha256']}.tar.gz"
            key = f"{prefix}modules/reindex/{m['name']}/aws/{m['version']}.json"
            conn.request("PUT", f"/{BUCKET}/{key}", json.dumps(m).encode(), MOTO_AUTH)
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                raise SystemExit(f"cannot write {key}: {resp.status}")
        conn.close()
    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(batch, range(0, count, 500)))
    return time.time() - t0


def seeded_data_dirs(args, prefix, names):
    """Checks the tools, builds `args.profile`, seeds `args.modules` x `args.versions` releases
    into the first of `names` (data dirs in a new work dir) and copies it to the others.
    Returns the modreg binary, the work dir, a read token and the dirs."""
    for tool in ("wrk", "moto_server"):
        if not shutil.which(tool):
            raise SystemExit(f"error: {tool} is not on PATH (see tests/setup.sh)")
    subprocess.run(["cargo", "build", "--profile", args.profile, "-q", "-p", "modreg", "-p",
                    "modreg-registry", "--examples", "--bins"], cwd=REPO, check=True)
    out_dir = os.path.join(TARGET, "release" if args.profile == "release" else "debug")
    work = tempfile.mkdtemp(prefix=prefix)
    dirs = [os.path.join(work, name) for name in names]
    token = subprocess.run(
        [os.path.join(out_dir, "examples", "bench_seed"), dirs[0],
         str(args.modules), str(args.versions)],
        capture_output=True, text=True, check=True).stdout.strip()
    for copy in dirs[1:]:
        shutil.copytree(dirs[0], copy)
    return os.path.join(out_dir, "modreg"), work, token, dirs


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--modules", type=int, default=10000)
    p.add_argument("--versions", type=int, default=10)
    p.add_argument("--duration", type=int, default=10)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--reindex", type=int, default=10000)
    p.add_argument("--profile", choices=("release", "dev"), default="release")
    args = p.parse_args()
    modreg, work, token, (local_data, s3_data) = seeded_data_dirs(
        args, "modreg-bench-s3-", ("local", "s3"))
    env = dict(os.environ, **AWS_ENV)
    env_extra = dict(BENCH_MODULES=str(args.modules), BENCH_VERSIONS=str(args.versions))

    procs = []
    try:
        moto_port, local_port, s3_port = free_port(), free_port(), free_port()
        presigned_port = free_port()
        moto = start_moto(moto_port)
        procs.append(moto)
        common = ["--plain-http", "--workers", str(args.workers), "--access-log", "false"]
        local = subprocess.Popen([modreg, "serve", "--data-dir", local_data, "--listen",
                                  f"127.0.0.1:{local_port}", *common],
                                 stderr=subprocess.DEVNULL)
        procs.append(local)
        s3 = subprocess.Popen([modreg, "serve", "--data-dir", s3_data, "--listen",
                               f"127.0.0.1:{s3_port}", *common, *s3_flags(moto_port)],
                              env=env, stderr=subprocess.DEVNULL)
        procs.append(s3)
        presigned_data = os.path.join(work, "presigned")
        shutil.copytree(local_data, presigned_data)
        presigned = subprocess.Popen([modreg, "serve", "--data-dir", presigned_data, "--listen",
                                      f"127.0.0.1:{presigned_port}", *common,
                                      *s3_flags(moto_port), "--s3-presigned-downloads"],
                                     env=env, stderr=subprocess.DEVNULL)
        procs.append(presigned)
        wait_ready(f"http://127.0.0.1:{local_port}/readyz")
        wait_ready(f"http://127.0.0.1:{s3_port}/readyz")
        wait_ready(f"http://127.0.0.1:{presigned_port}/readyz")

        rows = []
        for kind in ("versions", "download"):
            for name, port, proc in (("local", local_port, local), ("s3", s3_port, s3)):
                rows.append(measure(f"{kind} ({name})", f"http://127.0.0.1:{port}", kind,
                                    token, proc.pid, args, env_extra))

        presigned_row = measure("download (presigned)", f"http://127.0.0.1:{presigned_port}",
                                "download", token, presigned.pid, args, env_extra)

        local_publish = publish_1mb(modreg, local_data, local_port, work + "/l")
        s3_publish = publish_1mb(modreg, s3_data, s3_port, work + "/s")

        # The manifest the local publish wrote is the template of the reindexed ones.
        with open(os.path.join(local_data, "blobs/modules/bench/big/aws/1.0.0.json")) as f:
            template = json.load(f)
        put_s = put_manifests(moto_port, "reindex/", template, args.reindex)
        fresh = os.path.join(work, "fresh")
        t0 = time.time()
        out = subprocess.run([modreg, "reindex", "--data-dir", fresh,
                              *s3_flags(moto_port, "reindex/")],
                             env=env, capture_output=True, text=True, check=True)
        reindex_s = time.time() - t0
        if f"reindexed {args.reindex} releases" not in out.stderr:
            raise SystemExit(f"reindex did not index {args.reindex} releases: {out.stderr}")
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nmodreg on S3 (moto) vs local storage ({args.profile} build): "
          f"{args.modules * args.versions} releases, wrk -t2 -c32 -d{args.duration}s, {args.workers} server workers, {os.cpu_count()} "
          f"cores shared with wrk, moto and the other processes on this machine\n")
    print(f"{'endpoint':20} {'req/s':>9} {'s3/local':>9} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'CPU us/req':>10} {'non-2xx':>8}")
    for i, r in enumerate(rows):
        ratio = f"{r['rps'] / rows[i - 1]['rps']:9.0%}" if i % 2 else f"{'':9}"
        print(f"{r['name']:20} {r['rps']:9.0f} {ratio} {r['p50']:8.2f} {r['p99']:8.2f} "
              f"{r['cpu_us']:10.1f} {r['errors']:8d}")
    local_download = next(r for r in rows if r["name"] == "download (local)")
    r = presigned_row
    print(f"{r['name']:20} {r['rps']:9.0f} {r['rps'] / local_download['rps']:9.0%} "
          f"{r['p50']:8.2f} {r['p99']:8.2f} {r['cpu_us']:10.1f} {r['errors']:8d}"
          "   (ratio to download (local))")
    print(f"\npublish 1 MB module, local: {local_publish[0]:.0f} ms (HTTP PUT), "
          f"{local_publish[1]:.0f} ms (`modreg publish`)")
    print(f"publish 1 MB module, S3:    {s3_publish[0]:.0f} ms (HTTP PUT), "
          f"{s3_publish[1]:.0f} ms (`modreg publish`)")
    print(f"reindex from the bucket:    {args.reindex} releases in {reindex_s:.1f} s "
          f"({args.reindex / reindex_s:.0f} releases/s; writing them to moto took {put_s:.1f} s)")
    failed = [r["name"] for r in rows + [presigned_row] if r["errors"]]
    if failed:
        print(f"error: non-2xx responses in {failed}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
