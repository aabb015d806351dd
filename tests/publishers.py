"""Fake publishers on 127.0.0.1, answering in the formats of the real interfaces.

One threading HTTP server plays every publisher ``analysis.updates`` asks; each route has
the shape of the real one, so that the code under test builds the same requests:

``/github/repos/{owner}/{repo}/commits?path=P&per_page=N``  GitHub REST "List commits"
``/github/repos/{owner}/{repo}/compare/{base}...{head}``    GitHub REST "Compare two commits"
``/raw/{owner}/{repo}/{ref}/{path}``                        raw.githubusercontent.com
``/datagouv/datasets/{id or slug}/``                        data.gouv.fr API v1, one dataset
``/static/{path}``                                          static.data.gouv.fr files
``/urssaf/catalog/datasets/{id}``                           Opendatasoft Explore v2.1 dataset
``/urssaf/catalog/datasets/{id}/exports/{format}``          Opendatasoft export
``/files/{name}``                                           a plain file: HEAD and GET, with
                                                             ETag and Last-Modified (INSEE)

The JSON bodies carry the fields the real ones do (see GitHub's REST reference for the
commit and comparison objects, data.gouv.fr's ``Dataset`` and ``Resource`` models, and
Opendatasoft's v2.1 ``dataset`` object), not only those the code reads. Every request is
logged (method, path, headers) for the tests to inspect. :meth:`Publishers.env` gives the
environment variables that point ``analysis`` at the server.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import http.server
import json
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from analysis.sources import CATALOGUE
from analysis.updates import watch_for as _watch_for

_DOCS = "https://docs.github.com/rest"


def sha1_hex(text: str | bytes) -> str:
    return hashlib.sha1(text.encode() if isinstance(text, str) else text).hexdigest()


@dataclass
class Commit:
    sha: str
    date: str  # ISO 8601, UTC ("2025-03-04T10:00:00Z")
    message: str
    tree: dict[str, bytes]


@dataclass
class Repo:
    """A linear history of commits on the default branch, and its tags."""

    name: str  # "owner/repo"
    commits: list[Commit] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)

    def commit(
        self,
        changes: dict[str, bytes | None],
        *,
        date: str,
        message: str = "update",
        sha: str | None = None,
        tag: str | None = None,
    ) -> str:
        """Add a commit on top: ``changes`` maps a path to its new bytes (None: removed)."""
        tree = dict(self.commits[-1].tree) if self.commits else {}
        for path, content in changes.items():
            if content is None:
                tree.pop(path, None)
            else:
                tree[path] = content
        sha = sha or sha1_hex(f"{self.name}:{len(self.commits)}:{message}")
        self.commits.append(Commit(sha, date, message, tree))
        if tag:
            self.tags[tag] = sha
        return sha

    def index(self, ref: str) -> int | None:
        sha = self.tags.get(ref, ref)
        return next((i for i, c in enumerate(self.commits) if c.sha == sha), None)

    def touching(self, path: str) -> list[Commit]:
        """Commits that change ``path`` (added, modified or removed), newest first."""
        found, before = [], None
        for commit in self.commits:
            if commit.tree.get(path) != before:
                found.append(commit)
            before = commit.tree.get(path)
        return found[::-1]


def _commit_json(repo: Repo, commit: Commit, base: str) -> dict:
    """A commit object as GitHub's REST API gives it (List commits, Compare)."""
    index = repo.index(commit.sha)
    parents = [repo.commits[index - 1]] if index else []
    api = f"{base}/github/repos/{repo.name}"
    person = {"name": "Publisher", "email": "data@example.org", "date": commit.date}
    return {
        "sha": commit.sha,
        "node_id": f"C_{commit.sha[:20]}",
        "commit": {
            "author": person,
            "committer": person,
            "message": commit.message,
            "tree": {"sha": sha1_hex(repr(sorted(commit.tree))), "url": f"{api}/git/trees/x"},
            "url": f"{api}/git/commits/{commit.sha}",
            "comment_count": 0,
            "verification": {
                "verified": False,
                "reason": "unsigned",
                "signature": None,
                "payload": None,
                "verified_at": None,
            },
        },
        "url": f"{api}/commits/{commit.sha}",
        "html_url": f"https://github.com/{repo.name}/commit/{commit.sha}",
        "comments_url": f"{api}/commits/{commit.sha}/comments",
        "author": None,
        "committer": None,
        "parents": [
            {
                "sha": p.sha,
                "url": f"{api}/commits/{p.sha}",
                "html_url": f"https://github.com/{repo.name}/commit/{p.sha}",
            }
            for p in parents
        ],
    }


def _diff_entries(repo: Repo, old: dict[str, bytes], new: dict[str, bytes], head: str) -> list:
    """The ``files`` of a comparison: added, removed, modified and renamed paths."""
    removed = {p: c for p, c in old.items() if p not in new}
    added = {p: c for p, c in new.items() if p not in old}
    entries = []
    for path in sorted(set(old) | set(new)):
        entry = None
        if path in added:
            origin = next((p for p, c in removed.items() if c == added[path]), None)
            if origin is not None:
                removed.pop(origin)
                entry = {"filename": path, "status": "renamed", "previous_filename": origin}
            else:
                entry = {"filename": path, "status": "added"}
        elif path in new and old[path] != new[path]:
            entry = {"filename": path, "status": "modified"}
        if entry:
            entries.append(entry)
    entries += [{"filename": p, "status": "removed"} for p in sorted(removed)]
    for entry in entries:
        content = new.get(entry["filename"], b"")
        entry |= {
            "sha": sha1_hex(b"blob %d\0" % len(content) + content),
            "additions": 1,
            "deletions": 1,
            "changes": 2,
            "blob_url": f"https://github.com/{repo.name}/blob/{head}/{entry['filename']}",
            "raw_url": f"https://github.com/{repo.name}/raw/{head}/{entry['filename']}",
            "contents_url": f"https://api.github.com/repos/{repo.name}/contents/"
            f"{entry['filename']}?ref={head}",
            "patch": "@@ -1 +1 @@",
        }
    return entries


def datagouv_resource(
    rid: str, url: str, content: bytes, *, last_modified: str, title: str, algorithm: str = "sha1"
) -> dict:
    """A resource as data.gouv.fr's API v1 describes it, for ``content`` served at ``url``."""
    return {
        "id": rid,
        "title": title,
        "description": "",
        "type": "main",
        "format": "csv",
        "mime": "text/csv",
        "filetype": "file",
        "filesize": len(content),
        "checksum": {"type": algorithm, "value": hashlib.new(algorithm, content).hexdigest()},
        "url": url,
        "latest": f"https://www.data.gouv.fr/api/1/datasets/r/{rid}",
        "created_at": "2022-11-02T09:30:00.000000+00:00",
        "last_modified": last_modified,
        "preview_url": "",
        "extras": {},
        "harvest": None,
        "internal": {
            "created_at_internal": "2022-11-02T09:30:00.000000+00:00",
            "last_modified_internal": last_modified,
        },
        "schema": {},
    }


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format, *args):
        pass

    def do_HEAD(self):
        self._answer(head=True)

    def do_GET(self):
        self._answer(head=False)

    def _answer(self, head: bool):
        publishers = self.server.publishers
        split = urllib.parse.urlsplit(self.path)
        with publishers.lock:
            publishers.requests.append((self.command, self.path, dict(self.headers.items())))
            status, headers, body = publishers.route(
                self.command, split.path, urllib.parse.parse_qs(split.query)
            )
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    publishers: Publishers


class Publishers:
    """The fake publishers and their state; :meth:`start` serves them on 127.0.0.1."""

    def __init__(self):
        self.repos: dict[str, Repo] = {}
        self.datasets: dict[str, dict] = {}  # data.gouv.fr: id or slug -> dataset
        self.static: dict[str, bytes] = {}  # /static/<path> -> bytes
        self.ods: dict[str, dict] = {}  # Opendatasoft: id -> {"metas": ..., "exports": ...}
        self.files: dict[str, tuple[bytes, str, str]] = {}  # /files/<name> -> body, ETag, date
        self.github_rate_limited = False
        self.head_allowed = True  # False: /files/ answers HEAD with 405, as some servers do
        self.requests: list[tuple[str, str, dict]] = []
        self.lock = threading.Lock()
        self.base = ""

    # -- set-up ------------------------------------------------------------------------
    def repo(self, name: str) -> Repo:
        return self.repos.setdefault(name, Repo(name))

    def datagouv(self, dataset_id: str, slug: str, resources: list[dict]) -> None:
        dataset = {
            "id": dataset_id,
            "slug": slug,
            "title": "Baromètre des résultats de l'action publique",
            "acronym": None,
            "page": f"https://www.data.gouv.fr/fr/datasets/{slug}/",
            "uri": f"https://www.data.gouv.fr/api/1/datasets/{dataset_id}/",
            "created_at": "2021-01-13T16:20:00.000000+00:00",
            "last_modified": max(r["last_modified"] for r in resources),
            "last_update": max(r["last_modified"] for r in resources),
            "archived": None,
            "deleted": None,
            "private": False,
            "frequency": "monthly",
            "license": "lov2",
            "tags": ["apprentissage"],
            "badges": [],
            "organization": {
                "id": "5a7c4a8a88ee3811dbbbe7b6",
                "name": "DITP",
                "slug": "ditp",
                "class": "Organization",
            },
            "resources": resources,
            "community_resources": [],
            "extras": {},
            "harvest": None,
            "metrics": {"views": 1, "followers": 0, "reuses": 0},
        }
        self.datasets[dataset_id] = self.datasets[slug] = dataset

    def opendatasoft(self, dataset_id: str, *, modified: str, exports: dict[str, bytes]) -> None:
        self.ods[dataset_id] = {
            "dataset_id": dataset_id,
            "dataset_uid": f"da_{sha1_hex(dataset_id)[:6]}",
            "has_records": True,
            "data_visible": True,
            "features": ["analyze", "timeserie"],
            "attachments": [],
            "alternative_exports": [],
            "fields": [
                {
                    "name": "eff_total",
                    "label": "Effectifs",
                    "type": "int",
                    "annotations": {},
                    "description": None,
                }
            ],
            "metas": {
                "default": {
                    "title": "Effectifs salariés, séries annuelles",
                    "description": "<p>Séries annuelles.</p>",
                    "publisher": "Urssaf",
                    "license": "Licence Ouverte v2.0 (Etalab)",
                    "language": "fr",
                    "modified": modified,
                    "modified_updates_on_metadata_change": False,
                    "modified_updates_on_data_change": True,
                    "data_processed": modified,
                    "metadata_processed": modified,
                    "records_count": 198,
                    "theme": ["Emploi"],
                    "keyword": ["effectifs"],
                }
            },
            "_exports": exports,
        }

    def env(self) -> dict[str, str]:
        """The variables that send ``analysis``'s requests here."""
        return {
            "ANALYSIS_GITHUB_API": f"{self.base}/github",
            "ANALYSIS_GITHUB_RAW": f"{self.base}/raw",
            "ANALYSIS_DATAGOUV_API": f"{self.base}/datagouv",
            "ANALYSIS_URSSAF_API": f"{self.base}/urssaf",
        }

    def requested(self, prefix: str) -> list[tuple[str, str, dict]]:
        with self.lock:
            return [r for r in self.requests if r[1].startswith(prefix)]

    # -- serving -----------------------------------------------------------------------
    def start(self) -> Publishers:
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.publishers = self
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def route(self, method: str, path: str, query: dict) -> tuple[int, dict, bytes]:
        parts = [urllib.parse.unquote(p) for p in path.split("/")[1:]]
        if parts[0] == "github" and parts[1:2] == ["repos"] and len(parts) >= 5:
            return self._github(parts[2] + "/" + parts[3], parts[4:], query)
        if parts[0] == "raw" and len(parts) >= 5:
            repo, ref = self.repos.get(parts[1] + "/" + parts[2]), parts[3]
            index = repo.index(ref) if repo else None
            content = (
                repo.commits[index].tree.get("/".join(parts[4:])) if index is not None else None
            )
            return self._file(content, "text/plain; charset=utf-8")
        if parts[0] == "datagouv" and parts[1:2] == ["datasets"] and len(parts) >= 3:
            dataset = self.datasets.get(parts[2])
            if dataset is None:
                return self._json({"message": "Not found", "status": 404}, 404)
            return self._json(dataset)
        if parts[0] == "static":
            return self._file(self.static.get("/".join(parts[1:])), "text/csv")
        if parts[0] == "urssaf" and parts[1:3] == ["catalog", "datasets"] and len(parts) >= 4:
            dataset = self.ods.get(parts[3])
            if dataset is None:
                return self._json(
                    {"error_code": "DatasetNotFound", "message": f"Dataset {parts[3]} not found"},
                    404,
                )
            if parts[4:5] == ["exports"] and len(parts) == 6:
                return self._file(dataset["_exports"].get(parts[5]), "application/octet-stream")
            return self._json({k: v for k, v in dataset.items() if not k.startswith("_")})
        if parts[0] == "files" and method == "HEAD" and not self.head_allowed:
            return 405, {"Allow": "GET", "Content-Type": "text/plain"}, b"Method Not Allowed"
        if parts[0] == "files" and len(parts) == 2 and parts[1] in self.files:
            content, etag, modified = self.files[parts[1]]
            status, headers, body = self._file(content, "text/csv")
            return status, headers | {"ETag": etag, "Last-Modified": modified}, body
        return self._json({"message": "Not Found"}, 404)

    def _github(self, name: str, rest: list[str], query: dict) -> tuple[int, dict, bytes]:
        limits = {
            "x-ratelimit-limit": "60",
            "x-ratelimit-used": "1",
            "x-ratelimit-resource": "core",
            "x-ratelimit-reset": str(
                int(dt.datetime(2030, 1, 1, 14, 5, tzinfo=dt.UTC).timestamp())
            ),
        }
        if self.github_rate_limited:
            body = {
                "message": "API rate limit exceeded for 127.0.0.1. (But here's the good news: "
                "Authenticated requests get a higher rate limit. Check out the documentation "
                "for more details.)",
                "documentation_url": f"{_DOCS}/overview/rate-limits-for-the-rest-api",
            }
            return self._json(body, 403, limits | {"x-ratelimit-remaining": "0"})
        limits["x-ratelimit-remaining"] = "59"
        repo = self.repos.get(name)
        not_found = {"message": "Not Found", "documentation_url": _DOCS, "status": "404"}
        if repo is None:
            return self._json(not_found, 404, limits)
        if rest == ["commits"]:
            path = query.get("path", [""])[0]
            per_page = int(query.get("per_page", ["30"])[0])
            commits = repo.touching(path) if path else repo.commits[::-1]
            return self._json(
                [_commit_json(repo, c, self.base) for c in commits[:per_page]], headers=limits
            )
        if rest[0] == "compare" and len(rest) == 2 and "..." in rest[1]:
            base, head = rest[1].split("...", 1)
            i, j = repo.index(base), repo.index(head)
            if i is None or j is None:
                return self._json(not_found, 404, limits)
            status = "identical" if i == j else "ahead" if i < j else "behind"
            between = repo.commits[i + 1 : j + 1] if i < j else []
            old, new = repo.commits[i].tree, repo.commits[j].tree
            body = {
                "url": f"{self.base}/github/repos/{name}/compare/{rest[1]}",
                "html_url": f"https://github.com/{name}/compare/{rest[1]}",
                "permalink_url": f"https://github.com/{name}/compare/{name.split('/')[0]}:"
                f"{repo.commits[i].sha}...{name.split('/')[0]}:{repo.commits[j].sha}",
                "diff_url": f"https://github.com/{name}/compare/{rest[1]}.diff",
                "patch_url": f"https://github.com/{name}/compare/{rest[1]}.patch",
                "base_commit": _commit_json(repo, repo.commits[i], self.base),
                "merge_base_commit": _commit_json(repo, repo.commits[min(i, j)], self.base),
                "status": status,
                "ahead_by": max(j - i, 0),
                "behind_by": max(i - j, 0),
                "total_commits": len(between),
                "commits": [_commit_json(repo, c, self.base) for c in between],
                "files": _diff_entries(repo, old, new, repo.commits[j].sha) if i < j else [],
            }
            return self._json(body, headers=limits)
        return self._json(not_found, 404, limits)

    @staticmethod
    def _json(body, status: int = 200, headers: dict | None = None) -> tuple[int, dict, bytes]:
        data = json.dumps(body).encode()
        return status, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}, data

    @staticmethod
    def _file(content: bytes | None, kind: str) -> tuple[int, dict, bytes]:
        if content is None:
            return 404, {"Content-Type": "text/plain"}, b"404: Not Found"
        return 200, {"Content-Type": kind}, content


def http_date(text: str) -> str:
    """An ISO date as an HTTP date (``Last-Modified``)."""
    return email.utils.format_datetime(
        dt.datetime.fromisoformat(text).astimezone(dt.UTC), usegmt=True
    )


# -- the real catalogue, published; revisions of real files -------------------------------
REVISIONS = {
    # DITP's cumulative total for France at the end of 2023, revised by one contract.
    "ditp_ind313": (
        b"IND-313,FRANCE,2023-12-01,NAT,,852235.0",
        b"IND-313,FRANCE,2023-12-01,NAT,,852236.0",
    ),
    # Etalab's national count of apprenticeship contracts for 2017, revised by one.
    "etalab_apprenticeship_national": (b"2017-12-31,305271.0", b"2017-12-31,305272.0"),
    # INSEE's label of A17 sector AZ, replaced by its full official wording.
    "insee_a17_labels": (b"AZ;Agriculture;", b"AZ;Agriculture, sylviculture et p\xc3\xaache;"),
}
#: A revision the loader cannot read: DITP's value column renamed.
BROKEN = (b"indic_vi,indic_va,", b"indic_vi,valeur,")


def revise(data: bytes, edit: tuple[bytes, bytes]) -> bytes:
    """``data`` with the one occurrence of ``edit[0]`` replaced by ``edit[1]``."""
    assert data.count(edit[0]) == 1, edit
    return data.replace(*edit)


def publish_catalogue(publishers: Publishers, raw: Path) -> None:
    """Each upstream repository of the catalogue at its pinned commit (or tag).

    The pinned commit holds each file at its upstream path with the bytes of ``raw``; a
    file converted on download (``derive``) is never downloaded by these tests.
    """
    for source in CATALOGUE:
        watch = _watch_for(source)
        repo = publishers.repo(watch.repo)
        if not repo.commits:
            hexsha = re.fullmatch(r"[0-9a-f]{40}", watch.ref)
            repo.commit(
                {},
                date="2022-11-03T10:15:00Z",
                message="pinned",
                sha=watch.ref if hexsha else None,
                tag=None if hexsha else watch.ref,
            )
        repo.commits[0].tree[watch.path] = (raw / source.path).read_bytes()
