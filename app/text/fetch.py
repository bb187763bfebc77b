"""Fetching an article from an http(s) URL: one GET, bounded in time and size, nothing but http(s).

- Only ``http://`` and ``https://``: the opener has no file, ftp or data handler, and a redirect to
  any other scheme is refused (E024), so a page cannot send the fetch to ``file:///etc/passwd``.
- Redirects are followed (at most :data:`MAX_REDIRECTS`); the final address is what the page is
  read as, and its host is checked again.
- A timeout for connecting and for each read, and a deadline for the whole exchange (connect, headers
  and body) enforced on the socket: a watchdog shuts it when the deadline passes, so a server that
  sends one byte a second cannot hold a worker (issue 23).
- A size limit: a ``Content-Length`` over it is refused before the body is read, and a body that
  grows past it is cut off and refused (E022), never silently truncated.
- An honest User-Agent naming FrameDiff.
- ``allow_private=False`` (for a server that fetches for others) refuses hosts that resolve to
  loopback, private, link-local or other non-public addresses, on the first request and on every
  redirect. The host is resolved once per connection and the connection goes to the address that
  was checked (:class:`_PinnedConnection`): a DNS answer that changes between check and connect
  (rebinding) cannot reach 127.0.0.1.

Every failure is a coded error naming the URL and the reason: no network or an unknown host, a
refused connection or a time-out (E020), an HTTP error status (E021), too large (E022).
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from .. import __version__
from ..errors import FrameDiffError, error

FETCH_SCHEMES = ("http", "https")
DEFAULT_TIMEOUT = 20.0          # seconds, for connecting and for each read
DEFAULT_DEADLINE = 60.0         # seconds, for the whole download
DEFAULT_MAX_BYTES = 20_000_000  # a news page is well under 5 MB; a PDF report can be larger
MAX_REDIRECTS = 10
USER_AGENT = f"Mozilla/5.0 (compatible; FrameDiff/{__version__}; article comparison)"
ACCEPT = ("text/html,application/xhtml+xml,application/pdf,"
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain;q=0.9,*/*;q=0.5")
_CHUNK = 64 * 1024
# Top-level names reserved never to exist (RFC 2606, RFC 6761): refused without asking a resolver.
RESERVED_TLDS = {"invalid", "test", "example"}
# Statuses with which news sites turn away scripts (paywall, bot wall, rate limit, legal block).
REFUSING_STATUSES = {401, 402, 403, 429, 451}
# "scheme://..." (RFC 3986 scheme), the whole value one token: a URL, not article text that mentions one.
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]{1,30}):(//)?\S+$")
# A value with a scheme-like prefix that is surely not a URL: a Windows drive ("C:\\...").
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How a URL is fetched. The defaults suit the CLI and batch mode on one's own machine."""

    timeout: float = DEFAULT_TIMEOUT
    deadline: float = DEFAULT_DEADLINE
    max_bytes: int = DEFAULT_MAX_BYTES
    user_agent: str = USER_AGENT
    allow_private: bool = True      # False on a server that fetches for other people


@dataclass(frozen=True, slots=True)
class Fetched:
    """What a URL answered: the body, the address it was finally read from, and its content type."""

    url: str                      # as asked for
    final_url: str                # after redirects
    data: bytes
    content_type: str = ""        # "text/html", lower case, without parameters
    charset: str | None = None    # from the Content-Type header, when given
    headers: dict = field(default_factory=dict)


# What fetch_url uses when it is given no options: a server that fetches for other people (the web UI)
# sets ``app.text.fetch.DEFAULT_OPTIONS = FetchOptions(allow_private=False)`` once, at start-up.
DEFAULT_OPTIONS = FetchOptions()


def url_scheme(value: str) -> str | None:
    """The scheme of ``value`` when the whole (stripped) value is one URL-like token, else None.

    ``"https://example.com/a"`` → ``"https"``, ``"ftp://host/x"`` → ``"ftp"``,
    ``"mailto:x@y"`` → ``"mailto"``; article text, a file name or ``C:\\x.txt`` → None.
    """
    value = value.strip()
    if len(value) > 8192 or _DRIVE.match(value):
        return None
    match = _URL.match(value)
    if not match:
        return None
    scheme = match.group(1).lower()
    # "word:word" with no "//" is a URL only for schemes that never take "//" (mailto:, data:, ...).
    if match.group(2) is None and scheme not in {"mailto", "data", "javascript", "tel", "urn", "news", "about"}:
        return None
    return scheme


def fetch_url(url: str, *, what: str, options: FetchOptions | None = None) -> Fetched:
    """GET ``url`` (module docstring: schemes, redirects, time and size limits); coded errors on failure."""
    options = options or DEFAULT_OPTIONS
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in FETCH_SCHEMES:
        raise unsupported_scheme(url, what=what)
    if not parts.hostname:
        raise error("E020", what=what, url=url, reason="the address has no host name")
    if parts.hostname.rstrip(".").rsplit(".", 1)[-1].lower() in RESERVED_TLDS:    # no lookup: it cannot exist
        raise error("E020", what=what, url=url, reason=f"{parts.hostname} is a reserved name (RFC 2606) that "
                                                      "exists on no network")
    started = time.monotonic()
    watchdog = _Watchdog(options.deadline, url)
    opener = _opener(options, what=what, proxies=not _is_loopback(parts.hostname), watchdog=watchdog)
    request = urllib.request.Request(url, headers={"User-Agent": options.user_agent, "Accept": ACCEPT,
                                                   "Accept-Encoding": "identity"})
    try:
        with watchdog:
            with opener.open(request, timeout=options.timeout) as response:
                final_url = response.geturl()
                data = _read_body(response, url, options, started, what=what)
                data = _decompressed(data, response.headers.get("Content-Encoding", ""), url, options, what=what)
                content_type, charset = _content_type(response.headers.get("Content-Type", ""))
                headers = {k.lower(): v for k, v in response.headers.items()}
    except FrameDiffError:
        raise
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        if watchdog.expired:
            raise error("E020", what=what, url=url,
                        reason=f"the download took longer than {options.deadline:g} s") from None
        if isinstance(exc, urllib.error.HTTPError):
            reason = str(exc.reason or "error")
            if exc.code in REFUSING_STATUSES:
                reason += ("; the site may refuse automated downloads: save the page from your browser and compare "
                           "the saved .html file")
            raise error("E021", what=what, url=url, status=exc.code, reason=reason) from None
        raise error("E020", what=what, url=url, reason=_reason(exc, options)) from None
    return Fetched(url=url, final_url=final_url, data=data, content_type=content_type, charset=charset,
                   headers=headers)


def unsupported_scheme(url: str, *, what: str) -> FrameDiffError:
    """E024 for a URL that is not http(s): ftp://, file://, data:, ..."""
    from .sources import SUPPORTED_INPUTS

    scheme = (url_scheme(url) or urllib.parse.urlsplit(url).scheme or "?").lower()
    hint = " (give a local file by its path instead)" if scheme == "file" else ""
    return error("E024", what=what, kind=f"an address starting with {scheme}:{hint}", supported=SUPPORTED_INPUTS)


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Watchdog:
    """Shuts every socket of one fetch when its deadline passes: a blocked read then fails at once."""

    def __init__(self, seconds: float, url: str = ""):
        self.seconds, self.expired = seconds, False
        self.url = url          # the address being fetched (redirects update it), for error messages
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def __enter__(self):
        self._timer = threading.Timer(self.seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, *exc):
        if self._timer is not None:
            self._timer.cancel()
        return False

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _pinned_connection(base: type, options: FetchOptions, what: str, watchdog: _Watchdog) -> type:
    """An ``http.client`` connection class that resolves its host once, checks the addresses, and connects
    to the checked one (no second lookup), under the fetch's watchdog."""

    class _PinnedConnection(base):
        def connect(self):
            host, port = (self._tunnel_host and (self.host, self.port)) or (self.host, self.port)
            address = _resolve_checked(host, port, options, what=what, url=watchdog.url, proxy=bool(self._tunnel_host))
            self.sock = socket.create_connection((address, port), self.timeout)
            watchdog.watch(self.sock)
            if self._tunnel_host:
                self._tunnel()
            if isinstance(self, http.client.HTTPSConnection):
                server_name = self._tunnel_host or self.host
                self.sock = self._context.wrap_socket(self.sock, server_hostname=server_name)
                watchdog.watch(self.sock)

    return _PinnedConnection


def _resolve_checked(host: str, port: int, options: FetchOptions, *, what: str, url: str, proxy: bool = False) -> str:
    """The address to connect to: the host's first address, every one of them public unless allowed."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise error("E020", what=what, url=url,
                    reason=f"the host name {host} could not be resolved (no network, or a wrong address)") from None
    addresses = [info[4][0].split("%", 1)[0] for info in infos]
    if not options.allow_private and not proxy:      # a proxy the operator configured is trusted
        for text in addresses:
            if not ipaddress.ip_address(text).is_global:
                raise error("E020", what=what, url=url,
                            reason=f"{host} is a local or private address ({text}), which this server does not fetch")
    return addresses[0]


class _PinnedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, connection: type):
        super().__init__()
        self.connection = connection

    def http_open(self, req):
        return self.do_open(self.connection, req)


class _PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, connection: type):
        super().__init__(context=ssl.create_default_context())
        self.connection = connection

    def https_open(self, req):
        return self.do_open(self.connection, req, context=self._context)


def _opener(options: FetchOptions, *, what: str, proxies: bool = True,
            watchdog: _Watchdog | None = None) -> urllib.request.OpenerDirector:
    """An opener with http, https, checked redirects and (unless ``proxies`` is False, for this machine's
    own addresses) the proxies of the environment (``https_proxy``, ``no_proxy``); nothing else."""
    watchdog = watchdog or _Watchdog(options.deadline)
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(None if proxies else {}),
                    _PinnedHTTPHandler(_pinned_connection(http.client.HTTPConnection, options, what, watchdog)),
                    _PinnedHTTPSHandler(_pinned_connection(http.client.HTTPSConnection, options, what, watchdog)),
                    _Redirects(options, what, watchdog), urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) only, checking each new host like the first."""

    max_redirections = MAX_REDIRECTS

    def __init__(self, options: FetchOptions, what: str, watchdog: "_Watchdog | None" = None):
        super().__init__()
        self.options, self.what, self.watchdog = options, what, watchdog

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("Location") or headers.get("URI")
        if location:    # checked before urllib's own test, which lets ftp:// through and words file:// as HTTP
            self._check(req, urllib.parse.urljoin(req.full_url, location))
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        self._check(req, urllib.parse.urljoin(req.full_url, newurl))
        return super().redirect_request(req, fp, code, msg, headers, newurl)

    def _check(self, req, newurl: str) -> None:
        parts = urllib.parse.urlsplit(newurl)
        if parts.scheme.lower() not in FETCH_SCHEMES:
            raise error("E020", what=self.what, url=req.full_url,
                        reason=f"it redirects to {newurl[:200]}, which is not an http(s) address")
        # The new host's addresses are checked when it is connected to (_PinnedConnection).
        if self.watchdog is not None:
            self.watchdog.url = newurl


def _read_body(response, url: str, options: FetchOptions, started: float, *, what: str) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > options.max_bytes:
        raise error("E022", what=what, url=url, size=f"{int(declared):,} bytes", limit=options.max_bytes)
    chunks, total = [], 0
    while True:
        if time.monotonic() - started > options.deadline:
            raise error("E020", what=what, url=url,
                        reason=f"the download took longer than {options.deadline:g} s")
        chunk = response.read(_CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > options.max_bytes:
            raise error("E022", what=what, url=url, size=f"over {options.max_bytes:,} bytes", limit=options.max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _decompressed(data: bytes, encoding: str, url: str, options: FetchOptions, *, what: str) -> bytes:
    """The body without a gzip/deflate Content-Encoding (sent by some servers although none was asked for),
    held to the same size limit."""
    encoding = encoding.strip().lower()
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return data
    import zlib

    wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    try:
        inflater = zlib.decompressobj(wbits)
        out = inflater.decompress(data, options.max_bytes + 1)
    except zlib.error:
        try:     # "deflate" is often raw deflate
            inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            out = inflater.decompress(data, options.max_bytes + 1)
        except zlib.error:
            raise error("E020", what=what, url=url, reason=f"its {encoding} compression is damaged") from None
    if len(out) > options.max_bytes:
        raise error("E022", what=what, url=url, size=f"over {options.max_bytes:,} bytes unpacked",
                    limit=options.max_bytes)
    return out


def _content_type(header: str) -> tuple[str, str | None]:
    kind, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return kind.strip().lower(), charset


def _reason(exc: BaseException, options: FetchOptions) -> str:
    """A plain-English reason for a failed connection."""
    inner = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(inner, socket.gaierror):
        return "the host name could not be resolved (no network, or a wrong address)"
    if isinstance(inner, (TimeoutError, socket.timeout)):
        return f"no answer within {options.timeout:g} s"
    if isinstance(inner, ConnectionRefusedError):
        return "the connection was refused (nothing answers at that address and port)"
    if isinstance(inner, ConnectionResetError):
        return "the connection was reset by the server"
    if isinstance(inner, ssl.SSLCertVerificationError):
        return f"its TLS certificate could not be verified ({inner.verify_message or 'invalid'})"
    if isinstance(inner, ssl.SSLError):
        return f"the TLS (https) connection failed ({inner.reason or inner})"
    if isinstance(inner, OSError) and inner.errno in (101, 113, 65):   # ENETUNREACH, EHOSTUNREACH (Linux, macOS)
        return "the network is unreachable (no network?)"
    if isinstance(inner, http.client.HTTPException):
        return f"the server's answer is not valid HTTP ({type(inner).__name__})"
    if isinstance(inner, urllib.error.HTTPError):
        return f"HTTP {inner.code}"
    text = str(getattr(inner, "strerror", None) or inner) or type(inner).__name__
    return text[:200]
