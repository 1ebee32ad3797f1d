"""The file system, carefully: bounded reads, atomic writes, temp-file sweeping, probes, the home folder.

Why a room of its own: every command reads users' files and writes drafts, specs
and caches, and each of these has ways to go wrong that have nothing to do with
what is read or written — a FIFO or a device where a file was expected (its
``stat`` size is 0, its content endless), a device or a folder where ``--force``
would put a file, a disk that fills up half-way, a run killed between two
writes, a process with no home folder.  They are handled here once.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from generator.errors import AlreadyExists, InputError, OutputError, os_reason

# --------------------------------------------------------------------------- reading


def read_bounded(path: Path, limit: int, *, what: str = "文件") -> bytes:
    """At most ``limit`` bytes of ``path``; more is refused as too large.

    The size is found by reading (at most ``limit + 1`` bytes), never from ``stat``: a FIFO, a
    character device or ``/proc`` file says 0 there and may never end (``/dev/zero``).
    """
    name = str(path)
    try:
        with open(path, "rb") as fh:
            if stat.S_ISDIR(os.fstat(fh.fileno()).st_mode):
                raise InputError(f"{what} {name} 是一个文件夹，请给出文件路径")
            raw = fh.read(limit + 1)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(f"找不到{what} {name}") from None
    except IsADirectoryError:
        raise InputError(f"{what} {name} 是一个文件夹，请给出文件路径") from None
    except PermissionError:
        raise InputError(f"没有权限读取{what} {name}") from None
    except OSError as exc:
        raise InputError(f"无法读取{what} {name}：{os_reason(exc)}") from None
    if len(raw) > limit:
        raise InputError(f"{what} {name} 太大（超过上限 {limit // 1024} KB）")
    return raw


def read_stream(stream: Any, limit: int, *, what: str = "标准输入") -> bytes:
    """At most ``limit`` bytes from an open binary stream (stdin may be a pipe from ``/dev/zero``)."""
    raw: bytes = stream.read(limit + 1)
    if len(raw) > limit:
        raise InputError(f"{what}太大（超过上限 {limit // 1024} KB）")
    return raw


def special_kind(path: Path) -> str | None:
    """What ``path`` is when it exists and is neither a regular file nor a link: "文件夹", "设备文件"…"""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
        return None
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def refuse_special(path: Path) -> None:
    """``--force`` replaces regular files only: never a device, a FIFO, a socket or a folder."""
    kind = special_kind(path)
    if kind is not None:
        raise OutputError(f"{path} 是{kind}，不是普通文件；即使加 --force 也不会覆盖它，请换一个文件名")


# --------------------------------------------------------------------------- names


def readable(name: str | Path) -> str:
    """A file name as text that can be written anywhere (YAML, a .docx, a message).

    On POSIX a name that is not UTF-8 — GBK bytes, as unzipping a Windows archive leaves them — arrives
    with its bytes as lone surrogates, which no UTF-8 text may hold.  Those bytes are read as GBK
    when they are GBK (what they nearly always are), else each undecodable byte becomes "�".
    """
    text = str(name)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = os.fsencode(text)
    try:
        return raw.decode("gbk")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


_ESCAPED_RE = re.compile("[\udc80-\udcff]+")


def printable(text: str) -> str:
    """A message that may quote such names, made printable: each run of escaped bytes read as GBK."""
    return _ESCAPED_RE.sub(lambda m: bytes(ord(c) - 0xDC00 for c in m.group()).decode("gbk", "replace"), text)


# --------------------------------------------------------------------------- the user's folders


def home() -> Path | None:
    """The user's home folder, or None where there is none (cron, containers: no HOME, no passwd entry)."""
    try:
        return Path.home()
    except (RuntimeError, KeyError, OSError):
        return None


def cache_dir() -> Path | None:
    """Where compiled data is kept (``$DRAFTGEN_CACHE_DIR``, ``$XDG_CACHE_HOME/draftgen`` or ``~/.cache/draftgen``).

    None without a home folder (cron, containers): then nothing is cached, and every run compiles.
    """
    base = os.environ.get("DRAFTGEN_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "draftgen"
    root = home()
    return root / ".cache" / "draftgen" if root is not None else None


def write_cache_file(path: Path, data: bytes) -> None:
    """Best effort, atomically: a read-only or full cache folder must not stop a draft from being written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cache-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    except OSError:
        pass


def user_folder(env: str, fallback: str) -> Path | None:
    """``$env`` if set, else ``~/fallback``; None when neither exists (then nothing is cached or read there).

    A shared temp folder is no substitute: another user could plant a cache there.
    """
    base = os.environ.get(env)
    if base:
        return Path(base)
    root = home()
    return root / fallback if root is not None else None


# --------------------------------------------------------------------------- writing


# A temp file no live writer holds and older than this is left over from a killed run.
STALE_AFTER = 10.0
PART_SUFFIX = ".part"


def _part_prefix(name: str) -> str:
    """Temp files are hidden (leading dot) and named after their target, so people and globs skip them."""
    return f".{name[:40]}."


def _lock(fd: int) -> None:
    """Hold an advisory lock on a temp file while it is written: a sweeper can tell it is alive."""
    try:
        import fcntl
    except ImportError:  # Windows: an open file cannot be deleted there anyway
        return
    with contextlib.suppress(OSError):  # filesystems without locks: the age check alone protects the file
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unused(path: Path) -> bool:
    """True when no process holds the lock of this temp file (its writer died)."""
    try:
        import fcntl
    except ImportError:
        return True
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def sweep_stale_parts(folder: Path, names: Iterable[str]) -> list[Path]:
    """Remove temp files that killed runs left for the targets ``names``; returns what was removed.

    Only our own hidden ``.<name>.…part`` files, only regular files, and only
    when no writer holds them and they are older than :data:`STALE_AFTER`
    seconds: another batch writing into the same folder right now keeps its own.
    """
    import time

    prefixes = {_part_prefix(n) for n in names}
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        name = entry.name
        if not name.endswith(PART_SUFFIX) or not any(name.startswith(p) for p in prefixes):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or now - entry.stat().st_mtime < STALE_AFTER:
                continue
            if _unused(Path(entry.path)):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue  # in use (Windows) or gone already
    return removed


def check_writable_folder(folder: Path) -> None:
    """Refuse, before any work is done, an output folder that cannot take a new file.

    ``folder``, or its nearest existing parent when it is still to be created, is
    tried for real: a hidden temp file is created there and removed at once.
    Permissions, a read-only disk and pseudo filesystems such as ``/proc`` all
    answer the same way, for root too (``os.access`` says yes to root everywhere).
    """
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"输出位置 {folder} 不是文件夹")
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise OutputError(f"无法在 {folder} 中写入文件：{probe} 不是文件夹")
    try:
        fd, tmp = tempfile.mkstemp(dir=probe, prefix=".draftgen-probe-")
    except OSError as exc:
        raise OutputError(f"无法在 {folder} 中写入文件：{os_reason(exc)}") from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(tmp)


_UMASK: int | None = None


def _file_mode() -> int:
    """Permissions of a normal new file (mkstemp makes 0600, which would hide drafts in a shared folder)."""
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0o022)
        os.umask(_UMASK)
    return 0o666 & ~_UMASK


@contextmanager
def atomic_writer(target: Path, *, force: bool = False, mode: str = "wb") -> Iterator[Any]:
    """Write ``target`` through a temp file in the same folder, renamed into place on success.

    No half-written file ever exists under the final name; without ``force`` an
    existing file is never replaced (checked again at the moment of the rename).
    With ``force`` only a regular file (or a link, itself) is replaced, never a device, a FIFO or a
    folder (checked before writing and again just before the rename).
    A failure of the disk itself (full, read-only, gone) is an :class:`OutputError`.
    """
    folder = target.parent
    if os.path.lexists(target) and not force:
        raise AlreadyExists(target)
    if force:
        refuse_special(target)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=_part_prefix(target.name), suffix=PART_SUFFIX)
    except OSError as exc:
        raise OutputError(f"无法在 {folder} 中写入文件：{os_reason(exc)}") from None
    try:
        _lock(fd)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, _file_mode())
        with os.fdopen(fd, mode) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if force:
            refuse_special(target)
            os.replace(tmp, target)
        else:
            _link_exclusive(Path(tmp), target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"无法写入 {target}：{os_reason(exc)}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _link_exclusive(tmp: Path, target: Path) -> None:
    """Move ``tmp`` to ``target`` only if ``target`` does not exist (race-free where links work)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise AlreadyExists(target) from None
    except OSError:
        # Filesystems without hard links: fall back to a checked rename.
        if target.exists():
            raise AlreadyExists(target) from None
        os.replace(tmp, target)
        return
    tmp.unlink(missing_ok=True)


