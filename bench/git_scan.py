#!/usr/bin/env python3
"""Git watcher benchmark: a repository with 1,000 release tags across 10 modules, watched by
`modreg serve`. Prints the first scan-and-publish time, the time of a re-scan with nothing
new (fetch from the local remote included; target <= 200 ms), and webhook-to-installable
latency (target <= 2 s).

    python3 bench/git_scan.py [--modules 10] [--tags-per-module 100] [--release]

Uses the debug build unless --release (which builds it first). The machine is shared and
noisy: compare figures within one run.
"""
import argparse
import hashlib
import hmac
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
SECRET = b"bench-webhook-secret"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def module_tf(module, version):
    return (
        'variable "name" {\n  type        = string\n  description = "Who to greet."\n}\n\n'
        f'output "greeting" {{\n  description = "The greeting."\n  value       = "hello ${{var.name}} from {module} {version}"\n}}\n'
    ).encode()


def fast_import(repo, commits, parent=None):
    """Writes `commits` ([(module, version)], in order) on `main`, each tagged `module/vVERSION`."""
    lines = []
    for i, (module, version) in enumerate(commits, start=1):
        data = module_tf(module, version)
        lines.append(b"commit refs/heads/main\n")
        lines.append(f"mark :{i}\n".encode())
        lines.append(f"committer Bench <bench@example.com> {1700000000 + i} +0000\n".encode())
        msg = f"{module} {version}".encode()
        lines.append(f"data {len(msg)}\n".encode() + msg + b"\n")
        if i == 1 and parent:
            lines.append(f"from {parent}\n".encode())
        lines.append(f"M 100644 inline modules/{module}/main.tf\ndata {len(data)}\n".encode() + data + b"\n")
        lines.append(f"reset refs/tags/{module}/v{version}\nfrom :{i}\n\n".encode())
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=b"".join(lines), check=True)


def get(url, token=None):
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except urllib.error.URLError:  # not listening yet
        return 0, b""


def status(base):
    code, body = get(f"{base}/readyz")
    return json.loads(body)["git"][0] if code == 200 else None


def wait_rounds(base, rounds, timeout=600):
    deadline = time.time() + timeout
    while time.time() < deadline:
        s = status(base)
        if s and s["rounds"] >= rounds:
            return s
        time.sleep(0.005)
    raise SystemExit(f"the watcher did not finish round {rounds}")


def hook(base, tag):
    body = json.dumps({"ref": f"refs/tags/{tag}"}).encode()
    sig = "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()
    req = urllib.request.Request(
        f"{base}/v1/hooks/git/bench", data=body, method="POST",
        headers={"X-GitHub-Event": "push", "X-Hub-Signature-256": sig})
    with urllib.request.urlopen(req, timeout=5) as r:
        assert r.status == 202, r.status


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--modules", type=int, default=10)
    ap.add_argument("--tags-per-module", type=int, default=100)
    ap.add_argument("--release", action="store_true")
    args = ap.parse_args()
    profile = "release" if args.release else "debug"
    if args.release:
        subprocess.run(["cargo", "build", "--release", "-p", "modreg"], cwd=REPO, check=True)
    modreg = os.path.join(TARGET, profile, "modreg")
    if not os.path.exists(modreg):
        raise SystemExit(f"no {modreg}: run `cargo build -p modreg` (or pass --release)")

    work = tempfile.mkdtemp(prefix="modreg-git-bench-")
    remote = os.path.join(work, "remote.git")
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", remote], check=True)
    modules = [f"m{i:02d}" for i in range(args.modules)]
    commits = [(m, f"1.{v}.0") for v in range(args.tags_per_module) for m in modules]
    started = time.time()
    fast_import(remote, commits)
    build_s = time.time() - started

    data = os.path.join(work, "data")
    secret_file = os.path.join(work, "webhook.secret")
    open(secret_file, "wb").write(SECRET)
    config = os.path.join(work, "modreg.toml")
    open(config, "w").write(
        f"[[git.sources]]\nname = \"bench\"\nurl = '{remote}'\nnamespace = \"bench\"\n"
        f"poll_secs = 0\nwebhook_secret_file = '{secret_file}'\n")
    token = subprocess.run(
        [modreg, "token", "create", "--scope", "read", "--description", "bench", "--data-dir", data],
        capture_output=True, text=True, check=True).stdout.strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(work, "serve.log"), "w")
    env = dict(os.environ, MODREG_LOG="warn")
    server = subprocess.Popen(
        [modreg, "serve", "--plain-http", "--listen", f"127.0.0.1:{port}", "--data-dir", data,
         "--config", config, "--access-log", "false"], stdout=log, stderr=log, env=env)
    try:
        t0 = time.time()
        first = wait_rounds(base, 1)
        first_wall = time.time() - t0
        if first["state"] != "ok":
            raise SystemExit(f"first round failed: {first}")
        releases = sum(
            len(json.loads(get(f"{base}/v1/modules/bench/{m}/aws/versions", token)[1])["modules"][0]["versions"])
            for m in modules)

        rescans = []
        rounds = first["rounds"]
        for _ in range(10):
            t = time.time()
            hook(base, f"{modules[0]}/v1.0.0")
            rounds += 1
            s = wait_rounds(base, rounds)
            rescans.append((s["last_round_ms"], (time.time() - t) * 1000))

        latencies = []
        head = subprocess.run(["git", "rev-parse", "main"], cwd=remote, capture_output=True,
                              text=True, check=True).stdout.strip()
        for n in range(3):
            version = f"2.{n}.0"
            fast_import(remote, [(modules[0], version)], parent=head)
            head = subprocess.run(["git", "rev-parse", "main"], cwd=remote, capture_output=True,
                                  text=True, check=True).stdout.strip()
            t = time.time()
            hook(base, f"{modules[0]}/v{version}")
            url = f"{base}/v1/modules/bench/{modules[0]}/aws/{version}/download"
            while get(url, token)[0] != 204:
                if time.time() - t > 30:
                    raise SystemExit(f"{version} never became installable")
                time.sleep(0.005)
            latencies.append((time.time() - t) * 1000)
    finally:
        server.terminate()
        server.wait()

    server_ms = [r[0] for r in rescans]
    wall_ms = [r[1] for r in rescans]
    print(f"modreg git watcher benchmark ({profile} build): {len(commits)} release tags across "
          f"{args.modules} modules, local bare remote; 2 cores shared with other work")
    print(f"building the repository (git fast-import):   {build_s:.1f} s")
    print(f"first scan and publish:                      {first['last_round_ms'] / 1000:.1f} s "
          f"(server), {first_wall:.1f} s from process start; {releases} releases published")
    print(f"re-scan, nothing new (fetch included):       median {statistics.median(server_ms):.0f} ms, "
          f"max {max(server_ms):.0f} ms (server); median {statistics.median(wall_ms):.0f} ms webhook to round end "
          f"[target <= 200 ms]")
    print(f"webhook to installable (new tag):            median {statistics.median(latencies):.0f} ms, "
          f"max {max(latencies):.0f} ms [target <= 2000 ms]")


if __name__ == "__main__":
    sys.exit(main())
