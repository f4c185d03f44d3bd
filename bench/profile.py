#!/usr/bin/env python3
"""Where a protocol request's time goes: `perf record` on `modreg serve` (default settings,
plain HTTP) while wrk drives one endpoint, then the hottest functions and a breakdown by
component (logging, HTTP stack, runtime, allocator, kernel, ...).

    python3 bench/profile.py [--kind versions|download|discovery] [--seconds 8] [--top 25]

Needs wrk and perf (Debian `linux-perf`), and permission to profile (root, or
kernel.perf_event_paranoid <= 1). The release profile keeps line tables (`debug = 1`), so
symbols resolve. Findings from this script are in docs/benchmarks.md.
"""
import argparse
import collections
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import LUA, REPO, TARGET, free_port, wait_ready  # noqa: E402

# First match wins: a symbol (or its shared object) to the component it belongs to.
COMPONENTS = [
    ("logging (tracing, fmt, access log)", r"tracing|sharded_slab|nu_ansi|telemetry::(request|log_writer)|matchers"),
    ("metrics", r"metrics::"),
    ("auth and catalogue (handlers)", r"registry::(auth|catalog|http::(protocol|auth|api))|modreg_registry"),
    ("HTTP stack (actix, routing, parsing)", r"actix|httparse|http::header|regex|bytestring"),
    ("runtime (tokio, futures, wake-ups)", r"tokio|futures|mio|parking"),
    ("allocator", r"malloc|free|_int_|cfree|realloc|memcpy|memmove|alloc::"),
    ("serde / formatting", r"serde|core::fmt|itoa|ryu"),
    ("hashing", r"sha2|hashbrown|siphash|ahash|hash"),
    ("kernel (syscalls, network)", r"\[k\]|kernel|syscall|entry_SYSCALL|tcp_|ip_|__sys_|do_syscall|sock_"),
]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kind", default="versions", choices=["versions", "download", "discovery"])
    p.add_argument("--seconds", type=int, default=8)
    p.add_argument("--modules", type=int, default=10000)
    p.add_argument("--versions", type=int, default=10)
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--call-graph", default="fp",
                   help="perf's unwinder: fp (cheap; Rust frames without frame pointers are "
                        "lost) or dwarf (full stacks, for `perf report -i KEPT -G`)")
    p.add_argument("--keep", help="copy perf.data here, for `perf report -i`")
    p.add_argument("--bare", action="store_true",
                   help="profile the bare actix-web handler instead, for comparison")
    args = p.parse_args()
    for tool in ("wrk", "perf"):
        if not shutil.which(tool):
            raise SystemExit(f"error: {tool} is not installed (apt-get install wrk linux-perf)")
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "modreg", "-p", "modreg-registry",
                    "--examples", "--bins"], cwd=REPO, check=True)
    modreg = os.path.join(TARGET, "release", "modreg")
    work = tempfile.mkdtemp(prefix="modreg-profile-")
    data = os.path.join(work, "data")
    token = subprocess.run(
        [os.path.join(TARGET, "release", "examples", "bench_seed"), data,
         str(args.modules), str(args.versions)],
        capture_output=True, text=True, check=True).stdout.strip()
    port = free_port()
    if args.bare:
        command = [os.path.join(TARGET, "release", "examples", "bench_bare"),
                   f"127.0.0.1:{port}", "2"]
    else:
        command = [modreg, "serve", "--plain-http", "--listen", f"127.0.0.1:{port}",
                   "--data-dir", data, "--workers", "2"]
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    perf_data = os.path.join(work, "perf.data")
    try:
        wait_ready(f"http://127.0.0.1:{port}/" if args.bare else f"http://127.0.0.1:{port}/readyz")
        env = dict(os.environ, BENCH_KIND=args.kind, BENCH_TOKEN=token,
                   BENCH_MODULES=str(args.modules), BENCH_VERSIONS=str(args.versions))
        url = f"http://127.0.0.1:{port}"
        subprocess.run(["wrk", "-t2", "-c32", "-d2s", "-s", LUA, url], env=env,
                       capture_output=True, check=True)  # warm-up
        load = subprocess.Popen(["wrk", "-t2", "-c32", f"-d{args.seconds + 2}s", "-s", LUA, url],
                                env=env, stdout=subprocess.DEVNULL)
        subprocess.run(["perf", "record", "-q", "-F", "1999" if args.call_graph == "fp" else "499",
                        "--call-graph", args.call_graph, "-o", perf_data,
                        "-p", str(server.pid), "--", "sleep", str(args.seconds)], check=True,
                       stderr=subprocess.DEVNULL)
        load.wait()
        report = subprocess.run(
            ["perf", "report", "-i", perf_data, "--no-children", "--stdio", "-g", "none",
             "--sort", "dso,sym", "--percent-limit", "0.05"],
            capture_output=True, text=True, check=True).stdout
        if args.keep:
            shutil.copy(perf_data, args.keep)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait()
        shutil.rmtree(work, ignore_errors=True)

    rows = []
    for line in report.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(\S+)\s+(\[.\])\s+(.*)", line)
        if m:
            rows.append((float(m.group(1)), m.group(2), m.group(3), m.group(4).strip()))
    by_component = collections.Counter()
    for pct, dso, kind, sym in rows:
        text = f"{dso} {kind} {sym}"
        name = next((c for c, rx in COMPONENTS if re.search(rx, text)), "other")
        by_component[name] += pct
    print(f"\n{'bare actix-web handler' if args.bare else 'modreg serve'}, {args.kind} under wrk -t2 -c32, {args.seconds} s "
          f"(self time, default settings)\n")
    print(f"{'component':40} {'share':>7}")
    for name, pct in by_component.most_common():
        print(f"{name:40} {pct:6.1f}%")
    print(f"\nhottest {args.top} functions:")
    for pct, dso, kind, sym in rows[:args.top]:
        print(f"{pct:6.2f}%  {kind} {sym[:110]}")


if __name__ == "__main__":
    main()
