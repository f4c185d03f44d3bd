#!/usr/bin/env python3
"""modreg validate benchmark: an environment of 50 module calls across 20 files (the calls of
this repository's examples, pointed at the registry) checked against a local `modreg demo`
registry over HTTPS on loopback. Prints wall time and peak RSS for a cold run (empty interface
cache: discovery, versions and details round trips) and a warm run (interfaces from the cache;
discovery and versions are still asked, as releases may have been added).

    python3 bench/validate.py [--runs 5] [--debug]

Builds the release binary first (`--debug`: the debug build, for a quick look only). The machine is shared and noisy: compare within one run.
"""
import argparse
import os
import re
import shutil
import socket
import ssl
import statistics
import subprocess
import tempfile
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
CALLS, FILES = 50, 20


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def module_blocks(text):
    """The `module "x" { ... }` blocks of an HCL file, by brace matching."""
    for m in re.finditer(r'^module "([^"]+)" \{', text, re.M):
        depth, i = 0, m.end() - 1
        while True:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
            if depth == 0:
                yield m.group(1), text[m.start():i]
                break


def environment(root, host):
    calls = []
    for module in sorted(os.listdir(os.path.join(REPO, "modules"))):
        version = declared_version(module)
        for example in ("basic", "complete"):
            path = os.path.join(REPO, "modules", module, "examples", example, "main.tf")
            for label, block in module_blocks(open(path).read()):
                block = block.replace(
                    'source = "../.."',
                    f'source  = "{host}/platform/{module}/aws"\n  version = "~> {version}"',
                )
                calls.append((label, block))
    assert calls, "the examples hold module calls"
    os.makedirs(root)
    for i in range(CALLS):
        label, block = calls[i % len(calls)]
        named = block.replace(f'module "{label}"', f'module "{label}_{i}"', 1)
        with open(os.path.join(root, f"env_{i % FILES:02}.tf"), "a") as f:
            f.write(named + "\n\n")


def declared_version(module):
    text = open(os.path.join(REPO, "modules", module, "CHANGELOG.md")).read()
    m = re.search(r"^## \[?(\d+)\.(\d+)\.\d+", text, re.M)
    return f"{m.group(1)}.{m.group(2)}" if m else "1.0"


def run(modreg, env_dir, env):
    start = time.perf_counter()
    proc = subprocess.Popen([modreg, "validate", env_dir, "--format", "json"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code == 2:
        raise SystemExit(f"validate could not run: {proc.stderr.read().decode()}")
    return wall, usage.ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args()
    profile = "debug" if args.debug else "release"
    build = ["cargo", "build", "--locked", "-p", "modreg"] + ([] if args.debug else ["--release"])
    subprocess.run(build, cwd=REPO, check=True)
    modreg = os.path.join(TARGET, profile, "modreg")
    work = tempfile.mkdtemp(prefix="modreg-validate-bench-")
    port = free_port()
    host = f"127.0.0.1:{port}"
    demo = subprocess.Popen([modreg, "demo", "--listen", host, "--data-dir", os.path.join(work, "data")],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        out = demo.stdout.readline()
        lines = [out]
        ca = token = None
        deadline = time.time() + 120
        while (ca is None or token is None) and time.time() < deadline:
            line = demo.stdout.readline()
            lines.append(line)
            if "SSL_CERT_FILE=" in line:
                ca = line.split("SSL_CERT_FILE=", 1)[1].strip()
            if line.strip().startswith("token =") and token is None:
                token = line.split('"')[1]
        if ca is None or token is None:
            raise SystemExit("demo did not print its CA and token:\n" + "".join(lines))
        ctx = ssl.create_default_context(cafile=ca)
        while True:
            try:
                with urllib.request.urlopen(f"https://{host}/readyz", context=ctx, timeout=1):
                    break
            except Exception:
                time.sleep(0.02)
        env_dir = os.path.join(work, "env")
        environment(env_dir, host)
        env = dict(os.environ, SSL_CERT_FILE=ca, TF_CLI_CONFIG_FILE=os.path.join(work, "none.tfrc"),
                   HOME=work, NO_COLOR="1")
        env[f"TF_TOKEN_{host.replace('.', '_')}"] = token
        env.pop("XDG_CACHE_HOME", None)
        cold, warm, cold_rss, warm_rss = [], [], [], []
        for i in range(args.runs):
            env["MODREG_CACHE_DIR"] = os.path.join(work, f"cache-{i}")
            wall, rss = run(modreg, env_dir, env)
            cold.append(wall)
            cold_rss.append(rss)
            wall, rss = run(modreg, env_dir, env)
            warm.append(wall)
            warm_rss.append(rss)
        print(f"modreg validate benchmark ({profile} build): {CALLS} module calls across {FILES} files, "
              f"{len(set(b for b in os.listdir(os.path.join(work, 'data', 'blobs', 'modules', 'platform'))))} "
              f"distinct modules, HTTPS on loopback, {args.runs} runs each (median, min-max)")
        for name, walls, rss in (("cold (empty cache)", cold, cold_rss), ("warm (cache)", warm, warm_rss)):
            print(f"{name:20} {statistics.median(walls) * 1000:7.1f} ms  "
                  f"({min(walls) * 1000:.1f}-{max(walls) * 1000:.1f})  peak RSS {max(rss):.1f} MB")
    finally:
        demo.terminate()
        demo.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
