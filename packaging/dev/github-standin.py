#!/usr/bin/env python3
"""A stand-in for the parts of GitHub's REST API a Rigdesk runner host uses, for the demo.

It answers as api.github.com does (documented JSON, status codes, X-RateLimit headers):
  GET    /repos/{owner}/{repo}/actions/runners          (and /orgs/{org}/...)  list, paginated
  POST   .../actions/runners/generate-jitconfig          201 {runner, encoded_jit_config}; 409 on a name in use
  DELETE .../actions/runners/{id}                        204; 404; 422 while busy
  GET    /repos/{owner}/{repo}/actions/runs/{id}/attempts/{n}/jobs   (no jobs: the demo has no workflows)
  GET    /repos/{owner}/{repo}/actions/runs?status=…     the queue: empty, with an ETag (304 on If-None-Match)
  GET    /repos/{owner}/{repo}/actions/runs/{id}/jobs   and /orgs/{org}/repos: empty likewise
  GET    /repos/actions/runner/releases/latest           the stand-in runner (stand-in-runner.sh) as a release:
                                                         its linux-x64 tarball with a sha256 digest, unauthenticated
  GET    /actions/runner/releases/download/v{v}/{name}   302 to /release-assets/{name}, which serves the bytes
Any token starting with "ghp_" is accepted; others get 401 "Bad credentials".
    packaging/dev/github-standin.py [--port N]     prints its URL and serves until killed
"""
import argparse
import base64
import datetime
import gzip
import hashlib
import io
import os
import tarfile
import itertools
import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

runners = {}
ids = itertools.count(1000)
lock = threading.Lock()
RUNNERS = re.compile(r"^/(repos/[^/]+/[^/]+|orgs/[^/]+)/actions/runners(/generate-jitconfig|/(\d+))?$")
RUN_JOBS = re.compile(r"^/repos/[^/]+/[^/]+/actions/runs/\d+/attempts/\d+/jobs$")
QUEUE = {re.compile(r"^/repos/[^/]+/[^/]+/actions/runs$"): {"total_count": 0, "workflow_runs": []},
         re.compile(r"^/repos/[^/]+/[^/]+/actions/runs/\d+/jobs$"): {"total_count": 0, "jobs": []},
         re.compile(r"^/orgs/[^/]+/repos$"): []}
ETAG = 'W/"empty-queue"'
STANDIN_VERSION = "2.330.0"
RELEASE_DOWNLOAD = re.compile(r"^/actions/runner/releases/download/v([0-9.]+)/([A-Za-z0-9._-]+)$")


def standin_tarball(version):
    """actions-runner-linux-x64-VERSION.tar.gz holding the stand-in as run.sh, made reproducibly."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stand-in-runner.sh")
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data, mode in (("run.sh", open(script, "rb").read(), 0o755),
                                 ("standin-version", (version + "\n").encode(), 0o644)):
            info = tarfile.TarInfo("./" + name)
            info.size, info.mode, info.mtime = len(data), mode, 0
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0)


RELEASE = {"version": STANDIN_VERSION, "tarball": standin_tarball(STANDIN_VERSION),
           "published": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}


def b64(value):
    return base64.b64encode(json.dumps(value).encode()).decode()


def jit_config(runner, scope):
    """The layout actions/runner reads with --jitconfig: base64 JSON of base64 JSON files."""
    return b64({
        ".runner": b64({"agentId": runner["id"], "agentName": runner["name"], "poolId": 1, "poolName": "Default",
                        "serverUrl": "https://pipelines.actions.githubusercontent.com/standin/",
                        "gitHubUrl": "https://github.com/" + scope.split("/", 1)[1], "workFolder": "_work",
                        "useV2Flow": True}),
        ".credentials": b64({"scheme": "OAuth", "data": {"clientId": str(uuid.uuid4()),
                             "authorizationUrl": "https://vstoken.actions.githubusercontent.com/standin",
                             "requireFipsCryptography": "False"}}),
        ".credentials_rsaparams": b64({"d": uuid.uuid4().hex, "exponent": "AQAB", "modulus": uuid.uuid4().hex}),
    })


class Handler(BaseHTTPRequestHandler):
    server_version = "GitHub.com"

    def log_message(self, fmt, *args):
        pass

    def answer(self, code, body=None, etag=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(code)
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("X-RateLimit-Limit", "5000")
        self.send_header("X-RateLimit-Remaining", "4999")
        self.send_header("X-GitHub-Api-Version-Selected", "2022-11-28")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, code, message):
        self.answer(code, {"message": message, "documentation_url": "https://docs.github.com/rest",
                           "status": str(code)})

    def release(self, path):
        """actions/runner's releases, as github.com serves them: public, the download redirected."""
        version = RELEASE["version"]
        name = "actions-runner-linux-x64-%s.tar.gz" % version
        base = "http://%s:%d" % self.server.server_address[:2]
        if path == "/repos/actions/runner/releases/latest":
            sha = hashlib.sha256(RELEASE["tarball"]).hexdigest()
            self.answer(200, {
                "tag_name": "v" + version, "name": "v" + version, "draft": False, "prerelease": False,
                "published_at": RELEASE["published"],
                "body": "Rigdesk stand-in runner\n<!-- BEGIN SHA linux-x64 -->%s<!-- END SHA linux-x64 -->" % sha,
                "assets": [{"name": name, "size": len(RELEASE["tarball"]), "digest": "sha256:" + sha,
                            "content_type": "application/gzip",
                            "browser_download_url": "%s/actions/runner/releases/download/v%s/%s" % (base, version, name)}]})
            return True
        match = RELEASE_DOWNLOAD.match(path)
        if match and match.group(1) == version and match.group(2) == name:
            self.send_response(302)
            self.send_header("Location", "%s/release-assets/%s" % (base, name))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return True
        if path == "/release-assets/" + name:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(RELEASE["tarball"])))
            self.end_headers()
            self.wfile.write(RELEASE["tarball"])
            return True
        return None

    def route(self, method):
        if method == "GET" and self.release(self.path.partition("?")[0]) is not None:
            return
        if not (self.headers.get("Authorization") or "").startswith("Bearer ghp_"):
            return self.error(401, "Bad credentials")
        path, _, query = self.path.partition("?")
        if RUN_JOBS.match(path) and method == "GET":
            return self.answer(200, {"total_count": 0, "jobs": []})
        for pattern, empty in QUEUE.items():
            if pattern.match(path) and method == "GET":
                if self.headers.get("If-None-Match") == ETAG:
                    return self.answer(304, etag=ETAG)
                return self.answer(200, empty, etag=ETAG)
        match = RUNNERS.match(path)
        if not match:
            return self.error(404, "Not Found")
        scope, action, runner_id = match.group(1), match.group(2), match.group(3)
        with lock:
            if action is None and method == "GET":
                params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
                per_page, page = int(params.get("per_page", 30)), int(params.get("page", 1))
                mine = sorted((r for r in runners.values() if r["scope"] == scope), key=lambda r: r["id"])
                shown = [{k: v for k, v in r.items() if k != "scope"}
                         for r in mine[(page - 1) * per_page:page * per_page]]
                return self.answer(200, {"total_count": len(mine), "runners": shown})
            if action == "/generate-jitconfig" and method == "POST":
                try:
                    body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                except ValueError:
                    return self.error(400, "Problems parsing JSON")
                if not isinstance(body.get("name"), str) or not isinstance(body.get("labels"), list) \
                        or not isinstance(body.get("runner_group_id"), int):
                    return self.error(422, "Invalid request.")
                if any(r["name"] == body["name"] and r["scope"] == scope for r in runners.values()):
                    return self.error(409, "Already exists - A runner with the name %s already exists." % body["name"])
                runner = {"id": next(ids), "name": body["name"], "os": "Linux", "status": "online", "busy": False,
                          "labels": [{"id": i + 1, "name": l, "type": "custom"} for i, l in enumerate(body["labels"])],
                          "scope": scope}
                runners[runner["id"]] = runner
                shown = {k: v for k, v in runner.items() if k != "scope"}
                return self.answer(201, {"runner": shown, "encoded_jit_config": jit_config(runner, scope)})
            if runner_id and method == "DELETE":
                runner = runners.get(int(runner_id))
                if runner is None or runner["scope"] != scope:
                    return self.error(404, "Not Found")
                if runner["busy"]:
                    return self.error(422, 'Bad request - Runner "%s" is still running a job"' % runner["name"])
                del runners[int(runner_id)]
                return self.answer(204)
        return self.error(404, "Not Found")

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_DELETE(self):
        self.route("DELETE")


def main():
    parser = argparse.ArgumentParser(description="GitHub REST API stand-in for the Rigdesk demo")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print("http://127.0.0.1:%d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
