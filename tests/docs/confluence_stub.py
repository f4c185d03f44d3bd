#!/usr/bin/env python3
"""A stand-in for the Confluence REST API on 127.0.0.1, so `md2cf --dry-run` runs offline.

md2cf converts every page, checks titles, attachments and relative links, and then, even in
dry-run mode, reads the space (`GET /space/<key>`) before it lists what it would upload. This
answers that read (and any other GET) with a minimal space and logs each request to stderr; it
refuses every write, so a dry run that tried to upload would fail loudly.

Usage: confluence_stub.py PORT_FILE   (binds an ephemeral port, writes it to PORT_FILE, serves
until killed).
"""
from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = self.path.split("?", 1)[0]
        if path.startswith("/space/"):
            key = path.split("/")[2]
            self._json(200, {"key": key, "name": key, "homepage": {"id": "1", "title": f"{key} Home"}})
        else:
            self._json(200, {"results": [], "size": 0})

    def _refuse(self) -> None:
        self._json(405, {"message": "the offline Confluence stub accepts no writes"})

    do_POST = do_PUT = do_DELETE = _refuse  # noqa: N815

    def log_message(self, fmt: str, *args) -> None:
        sys.stderr.write("confluence-stub: " + fmt % args + "\n")


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1], "w", encoding="utf-8") as fh:
        fh.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
