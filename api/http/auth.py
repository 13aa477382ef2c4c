"""Authentication and roles: API tokens stored hashed, browser sessions, CSRF tokens.

Roles, each including the one before: ``reader`` (a partner: sees what is reserved to authenticated users),
``editor`` (may change the data: every write route requires it), ``admin`` (may also issue and revoke tokens).

**Tokens** look like ``pm_<id>.<secret>``. Only ``scrypt(secret, salt)`` is kept, with the token's id, name
and role, in ``<store root>/auth/tokens.json`` (mode 0600, replaced atomically). A client sends it as
``Authorization: Bearer <token>``; a browser pastes it once on ``/connexion`` and then holds a session cookie.

**Bootstrap**, independent of the CLI: ``PASSE_MURAILLE_ADMIN_TOKEN`` (at least 24 characters) is accepted as
an admin token while it is set, and :func:`create_token` issues tokens from Python::

    python -c "from api.http.auth import create_token; print(create_token('Marie (rédaction)', 'editor'))"

**Sessions**: the cookie ``pm_session`` carries the token id and an expiry, signed with HMAC-SHA256 under a
random key kept in ``<store root>/auth/secret``; it is HttpOnly and SameSite=Strict, and is refused once its
token is revoked. **CSRF**: every form of a signed-in user carries ``csrf`` = HMAC(key, session), checked on
every write, and a cross-site ``Origin``/``Referer`` is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import HTTPException, Request

from graph.config import store_dir

__all__ = [
    "ROLES", "User", "AuthError", "create_token", "revoke_token", "list_tokens", "verify_token", "current_user",
    "require_role", "require_editor", "require_admin", "session_cookie", "csrf_token", "check_csrf",
    "check_origin", "SESSION_COOKIE", "ADMIN_ENV", "login_allowed", "record_login_failure",
]

ROLES = ("reader", "editor", "admin")
ADMIN_ENV = "PASSE_MURAILLE_ADMIN_TOKEN"
SESSION_COOKIE = "pm_session"
SESSION_SECONDS = 8 * 3600
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1, "dklen": 32}
_LOCK = threading.Lock()
_VERIFIED: dict[str, tuple[float, User | None]] = {}
_VERIFY_TTL = 30.0


class AuthError(ValueError):
    """A token or role is malformed, unknown or revoked."""


@dataclass(frozen=True)
class User:
    """Who is making the request."""

    id: str
    name: str
    role: str
    via: str = "token"

    def can(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


# ----------------------------------------------------------------- token file

def _auth_dir(root: Path | str | None = None) -> Path:
    return (Path(root) if root else store_dir()) / "auth"


def _tokens_path(root=None) -> Path:
    return _auth_dir(root) / "tokens.json"


def _read_tokens(root=None) -> list[dict]:
    try:
        return json.loads(_tokens_path(root).read_text(encoding="utf-8")).get("tokens", [])
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as err:
        raise AuthError(f"token file unreadable: {err}") from err


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _write_tokens(tokens: list[dict], root=None) -> None:
    _write_private(_tokens_path(root), json.dumps({"tokens": tokens}, indent=1).encode("utf-8"))
    _VERIFIED.clear()


def _hash(secret: str, salt: bytes) -> str:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, **_SCRYPT).hex()


def create_token(name: str, role: str, root: Path | str | None = None) -> str:
    """Issue a token for ``name`` with ``role``; return it (shown once: only its hash is kept)."""
    if role not in ROLES:
        raise AuthError(f"unknown role {role!r} (allowed: {', '.join(ROLES)})")
    name = " ".join(str(name).split())[:80]
    if not name:
        raise AuthError("a token needs a name (who holds it)")
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_bytes(16)
    with _LOCK:
        tokens = _read_tokens(root)
        tokens.append({"id": token_id, "name": name, "role": role, "salt": salt.hex(), "hash": _hash(secret, salt),
                       "created": datetime.now(UTC).isoformat(timespec="seconds"), "revoked": None})
        _write_tokens(tokens, root)
    return f"pm_{token_id}.{secret}"


def revoke_token(token_id: str, root: Path | str | None = None) -> bool:
    """Revoke the token ``token_id``; True if it existed and was active."""
    with _LOCK:
        tokens = _read_tokens(root)
        for record in tokens:
            if record["id"] == token_id and not record.get("revoked"):
                record["revoked"] = datetime.now(UTC).isoformat(timespec="seconds")
                _write_tokens(tokens, root)
                return True
    return False


def list_tokens(root: Path | str | None = None) -> list[dict]:
    """Every token's id, name, role, creation and revocation dates (never a hash)."""
    return [{k: r.get(k) for k in ("id", "name", "role", "created", "revoked")} for r in _read_tokens(root)]


def _env_admin(token: str) -> User | None:
    expected = os.environ.get(ADMIN_ENV, "")
    if len(expected) < 24:
        return None
    if hmac.compare_digest(hashlib.sha256(token.encode()).digest(), hashlib.sha256(expected.encode()).digest()):
        return User(id="env-admin", name="administrateur (variable d'environnement)", role="admin")
    return None


def _user_by_id(token_id: str, root=None) -> User | None:
    if token_id == "env-admin":
        return User(id="env-admin", name="administrateur (variable d'environnement)", role="admin") \
            if len(os.environ.get(ADMIN_ENV, "")) >= 24 else None
    for record in _read_tokens(root):
        if record["id"] == token_id and not record.get("revoked"):
            return User(id=record["id"], name=record["name"], role=record["role"])
    return None


def verify_token(token: str, root: Path | str | None = None) -> User | None:
    """The user holding ``token``, or None (unknown, malformed or revoked)."""
    if not token or len(token) > 200:
        return None
    admin = _env_admin(token)
    if admin:
        return admin
    if not token.startswith("pm_") or "." not in token:
        return None
    memo = hashlib.sha256(f"{_auth_dir(root)}\0{token}".encode()).hexdigest()
    cached = _VERIFIED.get(memo)
    if cached and time.monotonic() - cached[0] < _VERIFY_TTL:
        return cached[1]
    token_id, secret = token[3:].split(".", 1)
    user = None
    try:
        records = _read_tokens(root)
    except AuthError:
        records = []
    for record in records:
        if record["id"] == token_id and not record.get("revoked"):
            if hmac.compare_digest(_hash(secret, bytes.fromhex(record["salt"])), record["hash"]):
                user = User(id=record["id"], name=record["name"], role=record["role"])
            break
    if len(_VERIFIED) > 1000:
        _VERIFIED.clear()
    _VERIFIED[memo] = (time.monotonic(), user)
    return user


# ----------------------------------------------------------------- sessions and CSRF

def _secret(root=None) -> bytes:
    path = _auth_dir(root) / "secret"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        with _LOCK:
            if not path.exists():
                _write_private(path, secrets.token_bytes(32))
        return path.read_bytes()


def _sign(payload: str) -> str:
    return hmac.new(_secret(), payload.encode(), hashlib.sha256).hexdigest()


def session_cookie(user: User) -> str:
    """A signed session value for ``user`` (token id and expiry)."""
    payload = base64.urlsafe_b64encode(json.dumps({"t": user.id, "e": int(time.time()) + SESSION_SECONDS,
                                                   "n": secrets.token_hex(8)}).encode()).decode()
    return f"{payload}.{_sign(payload)}"


def _session_user(value: str) -> User | None:
    if not value or len(value) > 400 or "." not in value:
        return None
    payload, signature = value.rsplit(".", 1)
    if not hmac.compare_digest(_sign(payload), signature):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload.encode()))
    except (ValueError, TypeError):
        return None
    if not isinstance(data, dict) or int(data.get("e", 0)) < time.time():
        return None
    user = _user_by_id(str(data.get("t", "")))
    return User(user.id, user.name, user.role, via="session") if user else None


def current_user(request: Request) -> User | None:
    """The user of ``request``: a Bearer token, else a valid session cookie, else None (anonymous)."""
    if "pm_user" in request.scope:
        return request.scope["pm_user"]
    user = None
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        user = verify_token(header[7:].strip())
    elif SESSION_COOKIE in request.cookies:
        user = _session_user(request.cookies[SESSION_COOKIE])
    request.scope["pm_user"] = user
    return user


def csrf_token(request: Request) -> str:
    """The CSRF token of the request's session ('' without a session)."""
    session = request.cookies.get(SESSION_COOKIE)
    if not session or current_user(request) is None:
        return ""
    return hmac.new(_secret(), b"csrf:" + session.encode(), hashlib.sha256).hexdigest()[:40]


def check_origin(request: Request) -> None:
    """Refuse (403) a write whose ``Origin`` or ``Referer`` names another site."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        return  # not a browser form (curl, scripts): they carry a Bearer token, which no other site can send
    host = request.headers.get("host", "")
    if origin == "null" or urlsplit(origin).netloc != host:
        raise HTTPException(status_code=403, detail="requête d'un autre site refusée (origine différente)")


def check_csrf(request: Request, submitted: str | None) -> None:
    """For a session user: refuse (403) a write without the right CSRF token. Bearer clients need none."""
    check_origin(request)
    user = current_user(request)
    if user is None or user.via != "session":
        return
    expected = csrf_token(request)
    if not submitted or not hmac.compare_digest(expected, submitted):
        raise HTTPException(status_code=403, detail="jeton CSRF absent ou invalide : rechargez la page")


def require_role(role: str):
    """A FastAPI dependency: the user, if at least ``role`` (else 401 without credentials, 403 otherwise).

    On a write (any method but GET, HEAD, OPTIONS) it also applies :func:`check_csrf`: a cross-site
    ``Origin``/``Referer`` is refused, and a session (cookie) user must send ``X-CSRF-Token``."""

    def dependency(request: Request) -> User:
        user = current_user(request)
        if user is None:
            raise HTTPException(status_code=401, detail="authentification requise",
                                headers={"WWW-Authenticate": 'Bearer realm="passe-muraille"'})
        if not user.can(role):
            raise HTTPException(status_code=403, detail=f"rôle « {role} » requis")
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            # a write: same-site origin, and a browser session must send its CSRF token (X-CSRF-Token)
            check_csrf(request, request.headers.get("x-csrf-token"))
        return user

    return dependency


require_editor = require_role("editor")
require_admin = require_role("admin")


# ----------------------------------------------------------------- login throttling

_FAILURES: dict[str, list[float]] = {}
MAX_FAILURES = 10
FAILURE_WINDOW = 300.0


def _client(request: Request) -> str:
    # the socket's peer, never X-Forwarded-For: a client cannot dodge the limit by forging a header
    return request.client.host if request.client else "?"


def login_allowed(request: Request) -> bool:
    """False once a client has failed to sign in ``MAX_FAILURES`` times within ``FAILURE_WINDOW`` seconds."""
    now = time.monotonic()
    recent = [t for t in _FAILURES.get(_client(request), []) if now - t < FAILURE_WINDOW]
    _FAILURES[_client(request)] = recent
    return len(recent) < MAX_FAILURES


def record_login_failure(request: Request) -> None:
    if len(_FAILURES) > 10000:
        _FAILURES.clear()
    _FAILURES.setdefault(_client(request), []).append(time.monotonic())
