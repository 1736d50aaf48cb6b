"""Files: the package's data files, reading a user's file, and writing an output whole or not at all."""

from __future__ import annotations

import csv
import io
import os
import stat
import tempfile
from importlib import resources
from pathlib import Path

from planner.errors import InputError


def data_path(name: str) -> Path:
    """A file shipped in `planner/data/` (`nutrients.csv`, `dri.csv`, ...)."""
    return Path(str(resources.files("planner") / "data" / name))


def read_user_text(path: str | Path, field: str | None = None) -> str:
    """A user's text file (UTF-8, a byte-order mark allowed), or an InputError naming it; `field` is the
    request field that gave the name, for an empty one."""
    if str(path).strip() == "":
        raise InputError("expected a file name, got an empty one", field=field)
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", source=str(path)) from None
    except IsADirectoryError:
        raise InputError("expected a file, got a folder", source=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read it ({exc.strerror})", source=str(path)) from None
    if b"\x00" in raw[:8192]:
        raise InputError("expected a text file (CSV or JSON), got binary data", source=str(path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"expected UTF-8 text, got a byte it cannot read on line {line} (save the file as UTF-8)",
                         source=str(path)) from None


def read_csv_text(text: str, source: str, expected: str) -> tuple[list[str], list[list[str]]]:
    """A user's CSV table read strictly: the header (names stripped) and its rows, blank lines left out.

    A table that is empty, names a column twice, has a row with more or fewer cells than the
    header, or a quote out of place is an InputError naming the file and row (a lenient
    reader would fill a short row with empty cells, which read as missing values). `expected`
    says what the table should hold, for the messages.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), strict=True)
    try:
        header = [cell.strip() for cell in next(reader, [])]
        if not any(header):
            raise InputError(f"the file is empty (expected {expected})", source=source)
        repeated = next((name for name in header if name and header.count(name) > 1), None)
        if repeated:
            raise InputError(f"column '{repeated}' appears twice in the header", source=source, row=1,
                             field=repeated)
        rows = []
        for record in reader:
            if not record or (len(record) == 1 and not record[0].strip()):
                continue
            if len(record) != len(header):
                row = reader.line_num
                if len(record) < len(header):
                    raise InputError(f"the row ends after {len(record)} of the header's {len(header)} cells",
                                     source=source, row=row, field=header[len(record)])
                raise InputError(f"the row has {len(record)} cells and the header {len(header)} (a comma in a "
                                 "value that is not in quotes?)", source=source, row=row)
            rows.append(record)
    except csv.Error as exc:
        raise InputError(f"not a readable CSV table near line {reader.line_num} ({exc}; a quote out of place?)",
                         source=source) from None
    return header, rows


def output_target(path: str | Path) -> Path:
    """Where an output named `path` goes: a regular file (new or replaced), or through a link to one.

    Anything else is refused before a byte is written: `-o ""`, a folder, a device such as
    /dev/stdout, a pipe or a socket.
    """
    if str(path).strip() == "":
        raise InputError("expected a file name, got an empty one", field="output")
    if str(path).endswith(("/", os.sep)):
        raise InputError(f"expected a file name, got '{path}', a folder's", field="output")
    given = Path(path).expanduser()
    try:
        mode = os.stat(given).st_mode   # through every link, /dev/stdout's included
    except FileNotFoundError:
        target = Path(os.path.realpath(given))
        if not target.parent.is_dir():
            raise InputError(f"the folder {target.parent} does not exist", source=str(path)) from None
        return _writable_in(target, path)
    except OSError as exc:
        raise InputError(f"cannot write it ({exc.strerror})", source=str(path)) from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
        raise InputError(f"is {kind}, not a regular file: give a file name to write", source=str(path))
    return _writable_in(Path(os.path.realpath(given)), path)


def _writable_in(target: Path, path: str | Path) -> Path:
    """`target`, once its folder has taken a new file: an output is written beside it and renamed, and a folder
    that refuses (no permission, a read-only disk, /proc) is said before any work, not after it."""
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise InputError(f"cannot write in {target.parent} ({exc.strerror})", source=str(path)) from None
    os.close(fd)
    os.unlink(probe)
    return target


def refuse_overwriting(output: str | Path | None, *inputs: str | Path | None) -> None:
    """An output must not replace a file the same command reads."""
    if not output or str(output).strip() == "":
        return
    out = os.path.realpath(Path(output).expanduser())
    for given in inputs:
        if given and os.path.realpath(Path(given).expanduser()) == out:
            raise InputError("is also an input of this command: write the output to another file",
                             source=str(output))


def write_atomic(path: str | Path, text: str) -> Path:
    """Write a whole file or nothing: a temporary file beside the target, then a rename.

    A symbolic link is written through (the file it points to is replaced); an existing
    file keeps its permissions; a new one gets the usual ones (0666 less the umask).
    Returns the path written.
    """
    target = output_target(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise InputError(f"cannot write in {target.parent} ({exc.strerror})", source=str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        if target.exists():
            mode = stat.S_IMODE(target.stat().st_mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write it ({exc.strerror})", source=str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
