"""Serving the lab's one file on 127.0.0.1 (`viewcast lab --serve`): nothing else on the machine is reachable."""
from __future__ import annotations

import http.server
from pathlib import Path

from ..errors import ViewcastError


class _OneFile(http.server.BaseHTTPRequestHandler):
    """Serves one file at / (and its own name); nothing else on the machine is reachable."""

    body: bytes = b""
    name: str = ""

    def do_GET(self) -> None:  # http.server calls it by this name
        if self.path.split("?")[0].split("#")[0] not in ("/", "/" + self.name):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args) -> None:  # quiet: the CLI prints the address once
        pass


def server(path: str | Path, port: int = 0) -> http.server.HTTPServer:
    """An HTTP server for the page at `path` on 127.0.0.1 only (port 0: any free one), not yet serving.
    Bind it before building the page, so a busy port is reported before any work."""
    handler = type("LabFile", (_OneFile,), {"name": Path(path).name})
    if not 0 <= port <= 65535:
        raise ViewcastError("a port is 0…65535", param="port", value=port, hint="0 picks any free one")
    try:
        return http.server.HTTPServer(("127.0.0.1", port), handler)
    except OSError as e:
        raise ViewcastError(f"cannot listen on 127.0.0.1:{port} ({e.strerror or e})", param="port", value=port,
                            hint="pick another port, or 0 for any free one") from None


def serve(srv: http.server.HTTPServer, path: str | Path) -> None:
    """Serve the file at `path` (read now) until interrupted."""
    srv.RequestHandlerClass.body = Path(path).read_bytes()
    try:
        srv.serve_forever()
    finally:
        srv.server_close()
