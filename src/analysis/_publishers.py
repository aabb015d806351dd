"""Ask a file's publisher, through its documented metadata interface, for its latest version.

Four interfaces, chosen per file by :func:`watch_for` from its URL (or its ``watch``):

``github``
    GitHub's REST API. ``GET /repos/{owner}/{repo}/commits?path=...&per_page=1`` gives the
    last commit of the default branch that touches the file; when it is not the pinned one,
    ``GET /repos/{owner}/{repo}/compare/{pinned}...{latest}`` says (``status``, ``files``)
    whether the file really changed after the pin. The new URL is the raw file at that commit.
``datagouv``
    data.gouv.fr's API: ``GET /datasets/{dataset}/`` lists the resources with their
    ``checksum`` (``{"type": "sha1", "value": ...}``), ``last_modified`` and ``url``.
``urssaf``
    open.urssaf.fr (Opendatasoft Explore API v2.1): ``GET /catalog/datasets/{dataset}``
    gives ``metas.default.modified``; the file is ``/catalog/datasets/{dataset}/exports/{format}``.
``http``
    Any other URL (INSEE): ``HEAD`` gives its ``ETag`` or ``Last-Modified``.

Each endpoint's base can be changed by an environment variable (tests, proxies):
``ANALYSIS_GITHUB_API``, ``ANALYSIS_GITHUB_RAW``, ``ANALYSIS_DATAGOUV_API`` and
``ANALYSIS_URSSAF_API``. ``GITHUB_TOKEN``, when set, is sent to GitHub's API (and only
there) to raise its rate limit. Standard library only.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import http.client
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import ParameterError
from .sources import Source

GITHUB_API_ENV, GITHUB_API = "ANALYSIS_GITHUB_API", "https://api.github.com"
GITHUB_RAW_ENV, GITHUB_RAW = "ANALYSIS_GITHUB_RAW", "https://raw.githubusercontent.com"
DATAGOUV_API_ENV, DATAGOUV_API = "ANALYSIS_DATAGOUV_API", "https://www.data.gouv.fr/api/1"
URSSAF_API_ENV, URSSAF_API = "ANALYSIS_URSSAF_API", "https://open.urssaf.fr/api/explore/v2.1"
GITHUB_TOKEN_ENV = "GITHUB_TOKEN"
API_TIMEOUT = 30  # seconds without an answer before a publisher counts as unreachable
_COMPARE_FILES_CAP = 300  # GitHub lists at most 300 files in a comparison
_USER_AGENT = "analysis-updates (Python urllib)"


def endpoint(variable: str, default: str) -> str:
    """Return the base URL of an interface: ``$variable`` if set, else ``default``."""
    return (os.environ.get(variable) or default).rstrip("/")


@dataclass(frozen=True)
class Watch:
    """Where and how to ask for a newer version of one file.

    Parameters
    ----------
    kind : {"github", "datagouv", "urssaf", "http"}
        The interface asked.
    repo, ref, path : str
        ``github``: ``owner/name``, the pinned commit (or tag) and the file's path there.
    dataset, resource, format : str
        ``datagouv``: dataset id or slug, resource id (``""``: the one at the file's URL);
        ``urssaf``: dataset id and export format.
    url : str
        ``http``: the URL whose headers are read.
    """

    kind: str
    repo: str = ""
    ref: str = ""
    path: str = ""
    dataset: str = ""
    resource: str = ""
    format: str = ""
    url: str = ""

    def describe(self) -> str:
        """Name the publisher's interface in a few words."""
        return {
            "github": f"GitHub {self.repo}",
            "datagouv": f"data.gouv.fr dataset {self.dataset}",
            "urssaf": f"open.urssaf.fr dataset {self.dataset}",
            "http": "HTTP headers",
        }[self.kind]


def _github_raw_parts(url: str) -> tuple[str, str, str] | None:
    """``(owner/repo, ref, path)`` of a raw GitHub URL (default or ``$ANALYSIS_GITHUB_RAW``)."""
    for base in dict.fromkeys((endpoint(GITHUB_RAW_ENV, GITHUB_RAW), GITHUB_RAW)):
        if url.startswith(base + "/"):
            parts = url[len(base) + 1 :].split("/", 3)
            if len(parts) == 4 and all(parts):
                owner, repo, ref, path = parts
                return f"{owner}/{repo}", ref, urllib.parse.unquote(path)
    return None


def _urssaf_export_parts(url: str) -> tuple[str, str] | None:
    """``(dataset, format)`` of an Opendatasoft export URL of open.urssaf.fr."""
    for base in dict.fromkeys((endpoint(URSSAF_API_ENV, URSSAF_API), URSSAF_API)):
        if url.startswith(base + "/"):
            path = urllib.parse.urlsplit(url[len(base) :]).path
            found = re.fullmatch(r"/catalog/datasets/([^/]+)/exports/([^/]+)", path)
            if found:
                return urllib.parse.unquote(found[1]), found[2]
    return None


def watch_for(source: Source) -> Watch:
    """Return how the publisher of ``source`` is asked for a newer version.

    From the source's ``watch`` when it has one, else from its URL: a raw GitHub URL asks
    GitHub's API, a ``static.data.gouv.fr/resources/<dataset>/...`` URL data.gouv.fr's, an
    open.urssaf.fr export URL Opendatasoft's, any other URL its own headers.

    Parameters
    ----------
    source : Source
        A catalogue entry (as :func:`analysis.get_source` gives it).

    Returns
    -------
    Watch

    Raises
    ------
    ParameterError
        If ``watch`` is not one of the forms documented in :class:`analysis.Source`.

    Examples
    --------
    >>> import dataclasses
    >>> import analysis as an
    >>> from analysis.updates import watch_for
    >>> watch = watch_for(an.get_source("ditp_ind313"))
    >>> watch.kind, watch.repo, watch.ref[:12], watch.path
    ('github', 'DITP-pilotage/barometre-resultats', '8bab813aa292', 'data/ind-313.csv')
    >>> watch.describe()
    'GitHub DITP-pilotage/barometre-resultats'

    A file published on data.gouv.fr names its dataset and resource in ``watch``:

    >>> bmo = dataclasses.replace(
    ...     an.get_source("bmo_2025"),
    ...     url="https://static.data.gouv.fr/resources/enquete-bmo/20250423/bmo_2025.xlsx",
    ...     watch="datagouv:enquete-besoins-en-main-doeuvre-bmo/3a8e9a0c")
    >>> watch = watch_for(bmo)
    >>> watch.kind, watch.dataset, watch.resource
    ('datagouv', 'enquete-besoins-en-main-doeuvre-bmo', '3a8e9a0c')
    """
    spec = source.watch
    kind, _, rest = (spec or "").partition(":")
    github = _github_raw_parts(source.url)
    if spec in (None, "github") and github is not None:
        repo, ref, path = github
        return Watch("github", repo=repo, ref=ref, path=path)
    if spec is None:
        split = urllib.parse.urlsplit(source.url)
        found = re.match(r"/resources/([^/]+)/", split.path)
        if split.hostname == "static.data.gouv.fr" and found:
            return Watch("datagouv", dataset=found[1])
        export = _urssaf_export_parts(source.url)
        if export is not None:
            return Watch("urssaf", dataset=export[0], format=export[1])
        return Watch("http", url=source.url)
    if kind == "datagouv" and rest:
        dataset, _, resource = rest.partition("/")
        return Watch("datagouv", dataset=dataset, resource=resource)
    if kind == "urssaf" and rest:
        dataset, _, fmt = rest.partition("/")
        export = _urssaf_export_parts(source.url)
        return Watch("urssaf", dataset=dataset, format=fmt or (export[1] if export else "csv"))
    if spec == "http":
        return Watch("http", url=source.url)
    raise ParameterError(
        f"The catalogue entry `{source.id}` has watch `{spec}`, which is not one of "
        "`datagouv:<dataset>[/<resource>]`, `urssaf:<dataset>[/<format>]`, `http`, or "
        "`github` (for a raw GitHub URL)."
    )


@dataclass(frozen=True)
class Answer:
    """What a publisher said about one file (see :class:`analysis.updates.Update`)."""

    status: str
    current: str
    latest: str
    url: str
    published: str = ""
    reason: str = ""
    checksum: tuple[str, str] | None = None


class Unknown(Exception):
    """The publisher could not say: unreachable, rate-limited, file gone; ``str`` says why.

    ``status`` is the HTTP status of a refusal (0 when there was no answer).
    """

    def __init__(self, reason: str, status: int = 0):
        super().__init__(reason)
        self.status = status


def iso(text: str | None) -> str:
    """Return a publisher's date (ISO 8601 or RFC 1123) in ISO 8601, UTC when it has a zone."""
    if not text:
        return ""
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return text
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return when.isoformat(timespec="seconds")


class Session:
    """The requests of one check: the opener, and whether GitHub has stopped answering."""

    def __init__(self, opener: Callable = urllib.request.urlopen):
        self.opener = opener
        self.github_blocked = ""  # the reason, once GitHub's rate limit is reached

    def _open(self, request: urllib.request.Request, who: str, github: bool = False):
        url = request.full_url
        try:
            return self.opener(request, timeout=API_TIMEOUT)
        except urllib.error.HTTPError as exc:
            headers, code = exc.headers, exc.code
            exc.close()  # an HTTPError is an open response: release its socket
            if github and code in (403, 429):
                limited = _rate_limit_reason(headers)
                if limited:
                    self.github_blocked = limited
                    raise Unknown(limited) from None
            raise Unknown(f"{who} answered HTTP {code} ({exc.reason}) for {url}", code) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise Unknown(f"{who} could not be reached at {url} ({reason})") from None

    def get_json(self, url: str, who: str, *, github: bool = False):
        """GET ``url`` and return its JSON; raise :class:`Unknown` when that fails."""
        if github and self.github_blocked:
            raise Unknown(self.github_blocked)
        headers = {"User-Agent": _USER_AGENT, "Accept": "application/json"}
        if github:
            headers |= {
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
            }
            token = os.environ.get(GITHUB_TOKEN_ENV)
            if token:
                headers["Authorization"] = f"Bearer {token}"
        with self._open(urllib.request.Request(url, headers=headers), who, github) as response:
            body = response.read()
        try:
            return json.loads(body)
        except ValueError:
            raise Unknown(f"{who} did not answer JSON at {url}") from None

    def head(self, url: str) -> dict[str, str]:
        """Return the headers of ``url`` (a GET whose body is not read if HEAD is refused)."""
        headers = {"User-Agent": _USER_AGENT}
        try:
            request = urllib.request.Request(url, headers=headers, method="HEAD")
            with self._open(request, "The server") as response:
                return dict(response.headers.items())
        except Unknown as exc:
            if exc.status not in (405, 501):  # HEAD not allowed, or not implemented
                raise
        with self._open(urllib.request.Request(url, headers=headers), "The server") as response:
            return dict(response.headers.items())


def _rate_limit_reason(headers) -> str:
    """Say why GitHub refused (its primary or secondary rate limit), or ``""``."""
    token = " for this token" if os.environ.get(GITHUB_TOKEN_ENV) else " without a token"
    if headers.get("x-ratelimit-remaining") == "0":
        reset = headers.get("x-ratelimit-reset", "")
        when = ""
        if reset.isdigit():
            at = dt.datetime.fromtimestamp(int(reset), tz=dt.UTC)
            when = f"; it resets at {at:%H:%M} UTC ({at:%Y-%m-%d})"
        limit = headers.get("x-ratelimit-limit", "")
        hint = (
            ""
            if os.environ.get(GITHUB_TOKEN_ENV)
            else (f". Set {GITHUB_TOKEN_ENV} to a GitHub token (no scope needed) for 5,000 an hour")
        )
        return (
            f"GitHub's API rate limit is reached ({limit or 'all'} requests an hour"
            f"{token}){when}{hint}, or try again later"
        )
    if headers.get("retry-after"):
        return (
            "GitHub's API asks to slow down (secondary rate limit): try again in "
            f"{headers['retry-after']} s"
        )
    return ""


def ask(watch: Watch, source: Source, session: Session, raw: Path) -> Answer:
    """Ask the publisher of ``source`` for its latest version; raise :class:`Unknown`."""
    ask_kind = {"github": _github, "datagouv": _datagouv, "urssaf": _urssaf, "http": _http}
    try:
        return ask_kind[watch.kind](watch, source, session, raw)
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        raise Unknown(f"{watch.describe()} answered in an unexpected form ({exc!r})") from None


def _answer(current: str, latest: str, url: str, **kw) -> Answer:
    return Answer("up to date" if current == latest else "new", current, latest, url, **kw)


def _github(watch: Watch, source: Source, session: Session, raw: Path) -> Answer:
    api = f"{endpoint(GITHUB_API_ENV, GITHUB_API)}/repos/{watch.repo}"
    query = urllib.parse.urlencode({"path": watch.path, "per_page": 1})
    commits = session.get_json(f"{api}/commits?{query}", "GitHub's API", github=True)
    if not commits:
        raise Unknown(
            f"no commit of {watch.repo}'s default branch touches `{watch.path}`: the file was "
            f"moved or removed upstream (see {source.landing_page})"
        )
    latest = commits[0]["sha"]
    info = commits[0]["commit"]
    published = iso((info.get("committer") or info["author"])["date"])
    if latest == watch.ref:
        return _answer(watch.ref, latest, source.url, published=published)
    base = urllib.parse.quote(watch.ref, safe="")
    comparison = session.get_json(f"{api}/compare/{base}...{latest}", "GitHub's API", github=True)
    status = comparison["status"]
    if status in ("identical", "behind"):  # the pin is the last change of the file, or later
        return _answer(watch.ref, watch.ref, source.url)
    if status not in ("ahead", "diverged"):
        raise Unknown(f"GitHub compared {watch.ref} with {latest} as `{status}`")
    files = comparison.get("files") or []
    entry = next(
        (f for f in files if watch.path in (f["filename"], f.get("previous_filename"))), None
    )
    if entry is None and len(files) < _COMPARE_FILES_CAP:  # later commits leave it as pinned
        return _answer(watch.ref, watch.ref, source.url)
    entry = entry or {"filename": watch.path, "status": "modified"}  # not listed: assume so
    if entry["status"] == "removed":
        raise Unknown(f"`{watch.path}` was removed from {watch.repo} in commit {latest[:12]}")
    path = entry["filename"]
    raw_base = endpoint(GITHUB_RAW_ENV, GITHUB_RAW)
    url = f"{raw_base}/{watch.repo}/{latest}/{urllib.parse.quote(path)}"
    notes = [f"renamed to `{path}`"] if path != watch.path else []
    if status == "diverged":
        notes.append(f"the pinned {watch.ref[:12]} is not on the default branch")
    return _answer(watch.ref, latest, url, published=published, reason="; ".join(notes))


def _local_digest(source: Source, raw: Path, algorithm: str) -> str:
    """Return the ``algorithm`` digest of the verified local copy of ``source``, or ``""``."""
    from .integrity import file_status

    if source.derive or file_status(source, raw) != "present":
        return ""  # a derived file is not the publisher's file; an unverified one proves nothing
    digest = hashlib.new(algorithm)
    with open(raw / source.path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return f"{algorithm}:{digest.hexdigest()}"


def _datagouv(watch: Watch, source: Source, session: Session, raw: Path) -> Answer:
    api = endpoint(DATAGOUV_API_ENV, DATAGOUV_API)
    dataset = urllib.parse.quote(watch.dataset, safe="")
    document = session.get_json(f"{api}/datasets/{dataset}/", "data.gouv.fr's API")
    resources = document.get("resources") or []
    if watch.resource:
        found = [r for r in resources if r["id"] == watch.resource]
        wanted = f"resource `{watch.resource}`"
    else:  # the resource at the file's URL; after an update, the one of the same file name
        found = [r for r in resources if source.url in (r.get("url"), r.get("latest"))]
        name = source.url.rsplit("/", 1)[-1]
        found = found or [r for r in resources if str(r.get("url", "")).endswith(f"/{name}")]
        wanted = f"resource at {source.url}"
    if not found:
        raise Unknown(f"data.gouv.fr's dataset `{watch.dataset}` has no {wanted} any more")
    resource = found[0]
    checksum = resource.get("checksum") or {}
    algorithm = str(checksum.get("type", "")).lower()
    announced = None
    if algorithm in hashlib.algorithms_guaranteed and checksum.get("value"):
        announced = (algorithm, str(checksum["value"]).lower())
        latest = f"{algorithm}:{announced[1]}"
    elif resource.get("last_modified"):
        latest = resource["last_modified"]
    else:
        raise Unknown(f"data.gouv.fr gives {wanted} neither a checksum nor a modification date")
    current = source.version or (_local_digest(source, raw, algorithm) if announced else "")
    return _answer(
        current,
        latest,
        resource.get("url") or resource["latest"],
        published=iso(resource.get("last_modified")),
        reason="" if current else "no version of the pinned file is recorded",
        checksum=announced,
    )


def _urssaf(watch: Watch, source: Source, session: Session, raw: Path) -> Answer:
    api = endpoint(URSSAF_API_ENV, URSSAF_API)
    dataset = urllib.parse.quote(watch.dataset, safe="")
    document = session.get_json(f"{api}/catalog/datasets/{dataset}", "open.urssaf.fr's API")
    metas = document["metas"]["default"]
    latest = metas.get("modified") or metas.get("data_processed")
    if not latest:
        raise Unknown(f"open.urssaf.fr gives the dataset `{watch.dataset}` no modification date")
    url = f"{api}/catalog/datasets/{dataset}/exports/{watch.format}"
    current = source.version or ""
    reason = "" if current else "no version of the pinned file is recorded"
    return _answer(current, latest, url, published=iso(latest), reason=reason)


def _http(watch: Watch, source: Source, session: Session, raw: Path) -> Answer:
    headers = {name.lower(): value for name, value in session.head(watch.url).items()}
    latest = headers.get("etag") or headers.get("last-modified")
    if not latest:
        raise Unknown(f"the server of {watch.url} sends neither ETag nor Last-Modified")
    current = source.version or ""
    reason = "" if current else "no version of the pinned file is recorded"
    published = iso(headers.get("last-modified"))
    return _answer(current, latest, watch.url, published=published, reason=reason)
