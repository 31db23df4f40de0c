#!/usr/bin/env python3
"""A reverse proxy on loopback in front of the test registry that counts the request bytes pushed through it.

usage: registry-meter.py UPSTREAM_HOST:PORT PORT    (listens on 127.0.0.1:PORT)
GET /__meter answers {"bytes": N, "requests": N, "uploads": [[METHOD, PATH, BYTES], ...]} (bytes: the request
bodies received, i.e. what pushes uploaded); POST /__meter/reset sets them to 0. Used by test/bench/image-rebuild.
A TLS hello gets an immediate 400 (as Go's servers answer), so the Docker engine falls back to plain HTTP at once.
"""
import http.client
import http.server
import json
import sys
import threading

UPSTREAM = sys.argv[1]
HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "upgrade", "expect"}
lock = threading.Lock()
meter = {"bytes": 0, "requests": 0, "uploads": []}


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def answer(self, status, payload=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def handle_one(self):
        data = self.body()
        if self.path.startswith("/__meter"):
            with lock:
                if self.command == "POST":
                    meter.update(bytes=0, requests=0, uploads=[])
                out = json.dumps(meter).encode()
            return self.answer(200, out, [("Content-Type", "application/json")])
        with lock:
            meter["bytes"] += len(data)
            meter["requests"] += 1
            if data:
                meter["uploads"].append([self.command, self.path.split("?")[0], len(data)])
        up = http.client.HTTPConnection(UPSTREAM, timeout=300)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        headers["Host"] = UPSTREAM
        up.request(self.command, self.path, body=data if data or self.command in ("PUT", "POST", "PATCH") else None,
                   headers=headers)
        r = up.getresponse()
        payload = r.read()
        me = "%s:%d" % self.server.server_address[:2]
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() in HOP:
                continue
            if k.lower() == "location":
                v = v.replace("http://" + UPSTREAM, "http://" + me)
            self.send_header(k, v)
        length = r.getheader("Content-Length") if self.command == "HEAD" else str(len(payload))
        if length is not None:
            self.send_header("Content-Length", length)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)
        up.close()

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = handle_one


server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Proxy)
server.serve_forever()
