"""What Python took out of its standard library, and when: an import of it fails on newer Pythons only.

A package that still imports such a module (or calls such a function) was written for older Pythons, so
"pip install audioop" is never the answer: the package's newer release, an older Python, or the module's
redistribution on PyPI (the "dead batteries" of PEP 594) is.
"""
from __future__ import annotations

from typing import Dict, Optional, Tuple

# module -> (the Python that no longer has it, what brings it back or replaces it)
# Standard-library modules a traceback often names (the ones below that Python removed included): they come with
# Python, so "the installed release lacks X" never fits them
CORE_MODULES = frozenset({
    "distutils", "encodings", "importlib", "collections", "time", "inspect", "typing", "asyncio", "platform", "base64",
    "os", "sys", "imp", "pkgutil", "html", "xml", "unittest", "string", "threading", "fractions", "gettext",
    "configparser", "array", "math", "io", "re", "json", "socket", "ssl", "subprocess", "types", "functools",
    "builtins", "abc", "logging", "pathlib", "shutil", "tempfile", "signal", "ctypes", "multiprocessing"})

# (distutils, 3.12, is the distutils-removed rule's: its fix is in the build, rules/python.py)
REMOVED_MODULES: Dict[str, Tuple[str, str]] = {
    "imp": ("3.12", "in the code, importlib replaces it"),
    "asynchat": ("3.12", "`pip install standard-asynchat` brings it back"),
    "asyncore": ("3.12", "`pip install standard-asyncore` brings it back"),
    "smtpd": ("3.12", "`pip install standard-smtpd` brings it back"),
    "audioop": ("3.13", "`pip install audioop-lts` brings it back, for pydub too"),
    "cgi": ("3.13", "`pip install legacy-cgi` brings it back"),
    "cgitb": ("3.13", "`pip install legacy-cgi` brings it back"),
    "lib2to3": ("3.13", "it has no redistribution on PyPI"),
}
for _name in ("aifc", "chunk", "crypt", "imghdr", "mailcap", "nntplib", "pipes", "sndhdr", "sunau", "telnetlib",
              "uu", "xdrlib"):
    REMOVED_MODULES[_name] = ("3.13", f"`pip install standard-{_name}` brings it back")

# Python 2's module names, gone since Python 3.0 (their Python 3 homes)
PYTHON2_MODULES: Dict[str, str] = {
    "urllib2": "urllib.request", "urlparse": "urllib.parse", "httplib": "http.client", "cookielib": "http.cookiejar",
    "ConfigParser": "configparser", "cPickle": "pickle", "StringIO": "io", "cStringIO": "io", "Queue": "queue",
    "Tkinter": "tkinter", "tkMessageBox": "tkinter.messagebox", "tkFileDialog": "tkinter.filedialog",
    "SocketServer": "socketserver", "xmlrpclib": "xmlrpc.client", "__builtin__": "builtins", "commands": "subprocess",
    "HTMLParser": "html.parser",
}

_ABC = ("Mapping", "MutableMapping", "Sequence", "MutableSequence", "Iterable", "Iterator", "Callable", "Set",
        "MutableSet", "Hashable", "Container", "Sized", "Generator", "Awaitable", "Coroutine", "AsyncIterable",
        "AsyncIterator", "KeysView", "ItemsView", "ValuesView", "MappingView", "ByteString")

# (module, name) -> (the Python that no longer has it, its replacement)
REMOVED_NAMES: Dict[Tuple[str, str], Tuple[str, str]] = {
    **{("collections", name): ("3.10", f"collections.abc.{name}") for name in _ABC},
    ("time", "clock"): ("3.8", "time.perf_counter"),
    ("platform", "linux_distribution"): ("3.8", "the `distro` package"),
    ("platform", "dist"): ("3.8", "the `distro` package"),
    ("cgi", "escape"): ("3.8", "html.escape"),
    ("base64", "encodestring"): ("3.9", "base64.encodebytes"),
    ("base64", "decodestring"): ("3.9", "base64.decodebytes"),
    ("fractions", "gcd"): ("3.9", "math.gcd"),
    ("inspect", "getargspec"): ("3.11", "inspect.getfullargspec"),
    ("inspect", "formatargspec"): ("3.11", "inspect.signature"),
    ("asyncio", "coroutine"): ("3.11", "async def"),
    ("configparser", "SafeConfigParser"): ("3.12", "configparser.ConfigParser"),
    ("string", "letters"): ("3.0", "string.ascii_letters"),
    ("string", "maketrans"): ("3.0", "str.maketrans"),
}


def removed(module: str, name: Optional[str] = None) -> Optional[Tuple[str, str]]:
    """(the Python that removed it, its replacement) for a standard-library module or name it no longer has."""
    if name is not None:
        return REMOVED_NAMES.get((module, name))
    if module in PYTHON2_MODULES:
        return ("3.0", PYTHON2_MODULES[module])
    return REMOVED_MODULES.get(module)
