#!/usr/bin/python3
"""Git smart HTTP server for tests: HTTP Basic auth in front of `git http-backend` (CGI).

Python 3 standard library only. Every request must carry Basic credentials for the one
configured user; others get 401 with `WWW-Authenticate: Basic realm="guli-git"`.
Authenticated requests run `git http-backend` with GIT_PROJECT_ROOT=<root>,
GIT_HTTP_EXPORT_ALL=1 and REMOTE_USER=<user> (so receive-pack, i.e. push, is allowed).

Repositories are bare repositories on disk: <root>/<name>.git, served as
http://HOST:PORT/<name>.git (tests create them with `git init --bare`).

Request bodies are streamed to the CGI: with Content-Length exactly that many bytes; with
`Transfer-Encoding: chunked` (git sends large pushes that way) de-chunked and passed without
CONTENT_LENGTH, so http-backend reads to end of file. The CGI's headers (Status: included) are
passed through; the response body is sent chunked on HTTP/1.1 keep-alive connections.

Usage: git-http-server.py --root DIR --password-file FILE [--user guli-git]
                          [--bind 127.0.0.1] [--port 8929]
"""

import argparse
import base64
import hmac
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REALM = "guli-git"
COPY_CHUNK = 64 * 1024


class BodyError(Exception):
    pass


def git_http_backend():
    exec_path = subprocess.run(
        ["git", "--exec-path"], check=True, capture_output=True, text=True
    ).stdout.strip()
    path = os.path.join(exec_path, "git-http-backend")
    if not os.access(path, os.X_OK):
        sys.exit(f"git-http-backend not found at {path}")
    return path


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "guli-git-http"
    # set by main()
    backend = None
    root = None
    user = None
    password = None

    def log_message(self, fmt, *args):
        sys.stderr.write(
            "%s %s %s\n" % (self.log_date_time_string(), self.address_string(), fmt % args)
        )

    # ---- auth -------------------------------------------------------------------------------
    def authorized(self):
        header = self.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return False
        user, sep, password = decoded.partition(":")
        if not sep:
            return False
        ok_user = hmac.compare_digest(user.encode(), self.user.encode())
        ok_password = hmac.compare_digest(password.encode(), self.password.encode())
        return ok_user and ok_password

    def deny(self):
        body = b"authentication required\n"
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="%s"' % REALM)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        # the request body (if any) is not read: close rather than resynchronise
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    # ---- request body -----------------------------------------------------------------------
    def body_chunks(self):
        """Yields the request body as bytes pieces, de-chunking if needed."""
        te = self.headers.get("Transfer-Encoding", "").lower()
        if "chunked" in te:
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    raise BodyError("connection closed in chunked body")
                size_text = line.split(b";", 1)[0].strip()
                try:
                    size = int(size_text, 16)
                except ValueError:
                    raise BodyError("bad chunk size %r" % size_text)
                if size == 0:
                    # trailers, up to the empty line
                    while True:
                        trailer = self.rfile.readline(65537)
                        if trailer in (b"\r\n", b"\n", b""):
                            return
                while size > 0:
                    data = self.rfile.read(min(size, COPY_CHUNK))
                    if not data:
                        raise BodyError("connection closed in chunk")
                    size -= len(data)
                    yield data
                self.rfile.readline(3)  # CRLF after the chunk data
        else:
            remaining = int(self.headers.get("Content-Length") or 0)
            while remaining > 0:
                data = self.rfile.read(min(remaining, COPY_CHUNK))
                if not data:
                    raise BodyError("connection closed with %d body bytes missing" % remaining)
                remaining -= len(data)
                yield data

    # ---- CGI --------------------------------------------------------------------------------
    def cgi_env(self):
        path, _, query = self.path.partition("?")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": self.root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "REMOTE_USER": self.user,
            "AUTH_TYPE": "Basic",
            "REMOTE_ADDR": self.client_address[0],
            "REQUEST_METHOD": self.command,
            "PATH_INFO": urllib.parse.unquote(path),
            "QUERY_STRING": query,
            "SERVER_PROTOCOL": self.request_version,
            "SERVER_SOFTWARE": self.server_version,
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_NAME": self.server.server_address[0],
            "SERVER_PORT": str(self.server.server_address[1]),
        }
        for name in ("HOME", "LANG", "GIT_CONFIG_NOSYSTEM", "GIT_TRACE", "GIT_TRACE_PACKET"):
            if name in os.environ:
                env[name] = os.environ[name]
        if self.headers.get("Content-Type"):
            env["CONTENT_TYPE"] = self.headers["Content-Type"]
        te = self.headers.get("Transfer-Encoding", "").lower()
        if "chunked" not in te and self.headers.get("Content-Length"):
            env["CONTENT_LENGTH"] = self.headers["Content-Length"]
        skip = {"authorization", "content-type", "content-length", "transfer-encoding", "proxy"}
        for key, value in self.headers.items():
            if key.lower() in skip:
                continue
            name = "HTTP_" + key.upper().replace("-", "_")
            env[name] = value if name not in env else env[name] + ", " + value
        return env

    def run_backend(self):
        proc = subprocess.Popen(
            [self.backend],
            env=self.cgi_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=sys.stderr,
            cwd=self.root,
        )
        body_error = []

        def feed():
            try:
                for data in self.body_chunks():
                    proc.stdin.write(data)
            except BrokenPipeError:
                pass  # backend stopped reading (it answers an error): drain nothing more
            except (BodyError, OSError) as e:
                body_error.append(e)
            finally:
                try:
                    proc.stdin.close()
                except OSError:
                    pass

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        try:
            self.relay_response(proc)
        finally:
            feeder.join(timeout=60)
            proc.stdout.close()
            proc.wait()
        if body_error:
            self.log_message("request body: %s", body_error[0])
            self.close_connection = True

    def relay_response(self, proc):
        status = 200
        reason = None
        headers = []
        while True:
            line = proc.stdout.readline()
            if not line:
                break  # no body; e.g. the backend died
            line = line.rstrip(b"\r\n").decode("latin-1")
            if not line:
                break
            name, _, value = line.partition(":")
            value = value.strip()
            if name.lower() == "status":
                code, _, reason = value.partition(" ")
                status = int(code)
            else:
                headers.append((name, value))
        self.send_response(status, reason or None)
        has_length = any(n.lower() == "content-length" for n, _ in headers)
        for name, value in headers:
            self.send_header(name, value)
        chunked = not has_length and self.request_version == "HTTP/1.1"
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif not has_length:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        while True:
            data = proc.stdout.read1(COPY_CHUNK)
            if not data:
                break
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            else:
                self.wfile.write(data)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def handle_request(self):
        if not self.authorized():
            self.deny()
            return
        self.run_backend()

    do_GET = handle_request
    do_POST = handle_request


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, help="GIT_PROJECT_ROOT: folder of bare repositories")
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--user", default="guli-git")
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8929)
    args = parser.parse_args()

    with open(args.password_file, encoding="utf-8") as f:
        password = f.read().strip()
    if not password:
        sys.exit("empty password file " + args.password_file)
    if shutil.which("git") is None:
        sys.exit("git not found")
    Handler.backend = git_http_backend()
    Handler.root = os.path.realpath(args.root)
    Handler.user = args.user
    Handler.password = password

    server = ThreadingHTTPServer((args.bind, args.port), Handler)
    sys.stderr.write(
        "git smart HTTP on http://%s:%d/ root %s user %s\n"
        % (args.bind, args.port, Handler.root, args.user)
    )
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
