"""Rules: TLS certificates, the index or a proxy out of reach, network timeouts and broken downloads."""
from __future__ import annotations

import re
from typing import Tuple

from harness.diagnose import context, reqs
from harness.diagnose.rules.base import EXCEPTION, PIP_VERDICT, Rule, rx
from harness.diagnose.rules.checks import index_answered, no_versions_listed, terminal_timeout
from harness.diagnose.rules.extract import first_wheel, fixed, group, tls_host, uv_download

# the big public mirrors of all of PyPI (China's university and cloud mirrors): they lag by minutes, not packages
FULL_MIRRORS = (r"pypi\.tuna\.tsinghua\.edu\.cn|mirrors\.aliyun\.com/pypi|pypi\.douban\.com|mirrors\.cloud\.tencent\.com|"
                r"mirrors\.bfsu\.edu\.cn|mirrors\.ustc\.edu\.cn|repo\.huaweicloud\.com|mirrors\.163\.com")

NETWORK_RULES: Tuple[Rule, ...] = (
    # ssl-certificate: the root cause of both a failed index and a failed model download
    Rule("tls-certificate", "ssl-certificate", 91,
         rx(r"CERTIFICATE_VERIFY_FAILED",
             r"SSLCertVerificationError",
             r"certificate verify failed",
             r"invalid peer certificate",
             r"self[- ]signed certificate in certificate chain",
             r"unable to get local issuer certificate",
             r"CondaSSLError: Encountered an SSL error",
             # Java's (Bazel, Gradle) and an old Python's ssl module's words for the same
             r"PKIX path building failed", r"unable to find valid certification path to requested target",
             r"SSLError: hostname '[^'\n]+' doesn't match"),
         blocker=tls_host, also=EXCEPTION, summary="the TLS certificate of {blocker} could not be verified"),
    # the TLS handshake itself broke: most often a proxy (an https:// proxy URL for an http proxy) or a middlebox
    # python.org's macOS Python brings no CA certificates until 'Install Certificates.command' runs: any SSLError
    # of its urllib is that, even when the excerpt shows only the exception's name
    Rule("macos-python-org-no-certificates", "ssl-certificate", 89,
         rx(r"^\s*(?:ssl\.)?SSLError\b", r"urlopen error \[SSL"),
         requires=rx(r"/Library/Frameworks/Python\.framework/"),
         blocker=tls_host, also=EXCEPTION, summary="python.org's macOS Python has no CA certificates installed"),
    Rule("tls-handshake", "ssl-certificate", 90,
         rx(r"\[SSL: WRONG_VERSION_NUMBER\]", r"\[SSL: UNEXPECTED_EOF_WHILE_READING\]", r"SSLEOFError\(",
            r"\[SSL: TLSV1_ALERT_\w+\]", r"\[SSL: SSLV3_ALERT_HANDSHAKE_FAILURE\]"),
         blocker=tls_host, also=EXCEPTION, summary="the TLS handshake with {blocker} failed"),
    # a Python without its ssl module cannot speak HTTPS at all: not a certificate, not the network
    # the same words in a conda environment: conda's Python has its ssl module, but not the OpenSSL DLLs it loads
    # (an environment not activated, or another env's or System32's OpenSSL found first)
    Rule("conda-ssl-dlls", "dll-load-failed", 93,
         rx(r"the SSL module is not available", r"No module named '?_ssl'?", r"ssl module in Python is not available",
            r"CondaSSLError: OpenSSL appears to be unavailable"),
         requires=rx(r"\bconda\b|anaconda|miniconda|[\\/]miniforge"), blocker=fixed("_ssl"),
         summary="conda's Python cannot load its OpenSSL DLLs, so it cannot use HTTPS"),
    Rule("ssl-module-missing", "other", 92,
         rx(r"the SSL module is not available", r"No module named '?_ssl'?", r"ssl module in Python is not available",
            r"CondaSSLError: OpenSSL appears to be unavailable"),
         summary="this Python was built without its ssl module, so it cannot use HTTPS",
         action="This Python has no working ssl module (it was built without OpenSSL, or cannot load its libssl/"
                "libcrypto DLLs), so neither pip nor conda can reach an HTTPS index: on Windows with Anaconda run from "
                "the Anaconda Prompt or `conda activate base` first (or put ...\\Library\\bin on PATH, or copy "
                "libcrypto-*-x64.dll and libssl-*-x64.dll from Library\\bin into DLLs); a pyenv/source build needs "
                "the OpenSSL headers first "
                "(`sudo apt-get install libssl-dev`, `brew install openssl`) and a rebuild; or use a python.org or "
                "distribution Python. Check with `python -c \"import ssl\"`."),
    # timeout: the network was there but too slow; the download or the connection ran out of time
    Rule("uv-http-timeout", "timeout", 72,
         rx(r"Failed to download distribution due to network timeout[^\n]*?(?:\(current value: (?P<secs>\d+)s\))?",
             r"(?:request or response body error|Caused by)(?::|\s*\n[^\n]*?)\s*operation timed out",
             # retries that took minutes, not a refused or unresolvable host
             r"Request failed after \d+ retries in (?:\d{3,}|[3-9]\d)(?:\.\d+)?s"
             r"(?![\s\S]*(?:Connection refused|dns error|failed to lookup))"),
         blocker=uv_download, summary="uv's HTTP timeout ran out while downloading {blocker}"),
    # pip's traceback cut inside urllib3's read of a download: the error it catches there is a read timing out or
    # the connection dropping mid-file (a large wheel on a slow link); any named error wins over this
    Rule("pip-download-cut", "timeout", 30,
         rx(r"urllib3[\\/]response\.py\", line \d+, in (?:_error_catcher|read)\b"),
         requires=rx(r"^ERROR: Exception:$", r"^\s*Downloading \S+"), blocker=uv_download,
         summary="pip's download broke off mid-file (a read that timed out or a dropped connection)"),
    Rule("network-timeout", "timeout", 72,
         rx(r"^(?:[\w.]+\.)?ReadTimeoutError: [^\n]*Read timed out",
             r"^(?:socket\.timeout|TimeoutError): The read operation timed out",
             r"(?<![\w.])socket\.timeout: The read operation timed out",
             r"ConnectTimeout(?:Error)?\([^\n]*timed out\. \(connect\s+timeout\s*=",
             r"Caused by ReadTimeoutError\(\"HTTPSConnectionPool\([^\n]*Read timed out",
             r"CondaHTTPError: HTTP 000 CONNECTION FAILED[\s\S]{0,600}?(?:ConnectTimeout|ReadTimeout)",
             r"^(?:pip\._vendor\.)?requests\.exceptions\.(?:ReadTimeout|ConnectTimeout): ",
             # libcurl's error 28 (conda's libmamba, curl itself)
             r"Download error \(28\) Timeout was reached|curl: \(28\) (?:Operation|Connection) timed out"),
         check=terminal_timeout, blocker=uv_download, also=EXCEPTION,
         summary="the download from the package index timed out"),
    # libcurl's low-speed check (mamba, micromamba, conda's libmamba): a download slower than its floor for a
    # minute is aborted, however far it got - large packages on a slow link never finish
    Rule("curl-low-speed-abort", "timeout", 72,
         rx(r"Operation too slow\. Less than \d+ bytes/sec transferred the last \d+ seconds"),
         blocker=uv_download, summary="the download was aborted for being too slow (libcurl's low-speed limit)"),
    # network-or-index
    Rule("proxy-refused", "network-or-index", 71,
         rx(r"Tunnel connection failed: (?P<code>\d{3})[^\n']*",
             r"ProxyError\('Cannot connect to proxy",
             r"in _prepare_proxy\b"),
         summary="the proxy refused the connection"),
    Rule("index-unreachable", "network-or-index", 70,
         rx(r"CondaHTTPError: HTTP \d+ [A-Z ]+ for url <(?P<url>[^>\s]+)",  # (its '>' may be wrapped off)
             r"Could not fetch URL (?P<url>\S+?):? ",
             r"Max retries exceeded with url",
             r"There was a problem confirming the ssl certificate",
             r"Cannot fetch index base URL",
             r"Could not install packages due to an (?:OSError|EnvironmentError): HTTPS?ConnectionPool",
             r"HTTP error \d{3} while getting",
             r"Failed to fetch:? `?(?P<url>https?://[^\s`]+)",
             r"Request failed after \d+ retries",
             r"error sending request for url \((?P<url>[^)\s]+)\)",
             r"dns error",
             r"tcp connect error",
             # git, cloning a git+https requirement
             r"fatal: unable to access '(?P<url>https?://[^']+)': (?!SSL certificate problem)",
             r"error: RPC failed; curl \d+",
             r"Could not connect, are you offline\?",
             # aiohttp's (an app's own downloads: ComfyUI-Manager, gradio, huggingface tools)
             r"Cannot connect to host (?P<host>[\w.-]+):\d+ ssl:"),
         also=PIP_VERDICT, summary="the package index could not be reached"),
    Rule("connection-retries", "network-or-index", 45,
         rx(r"Retrying \(Retry\(total=\d+[^\n]*?(?:NewConnectionError|ConnectTimeoutError|ReadTimeoutError"
             r"|ProxyError|SSLError|ProtocolError)",
             r"Temporary failure in name resolution",
             r"Name or service not known",
             r"getaddrinfo failed",
             r"Read timed out"),
         check=no_versions_listed, also=PIP_VERDICT, summary="connections to the package index failed"),
    # Windows' own TLS stack (schannel, used by curl and git) could not check a certificate's revocation
    Rule("schannel-revocation", "ssl-certificate", 91,
         rx(r"schannel: [^\n]*(?:revocation|0x8009201[23]|CRYPT_E_(?:NO_)?REVOCATION)"),
         summary="Windows could not check the server certificate's revocation (schannel)",
         action="Windows' TLS (schannel) could not check whether the server's certificate was revoked - the "
                "revocation server is unreachable, usually behind a proxy or firewall: let the machine reach it, or "
                "skip the check for this download (`curl --ssl-no-revoke ...`; for git `git config --global "
                "http.schannelCheckRevoke false`), or download the file in a browser and install it from disk."),
    # the index answered with something other than a project page: a proxy, a captive portal, a broken mirror
    # a private index (or its files) that wants credentials the installer did not send, or refused them
    Rule("index-unauthorized", "network-or-index", 69,
         rx(r"\b(?P<status>401|403) Client Error: (?:Unauthorized|Forbidden) for url:?(?: (?P<url>\S+))?",
            r"HTTP status code was (?P<status>401|403)\b|status code (?P<status2>401|403) \((?:Unauthorized|Forbidden)\)"),
         # an installer's log, or poetry's bare exception block (the class name on a line of its own)
         requires=rx(r"\bpoetry\b|\bpip\b|\buv\b|\bpdm\b|\bpipenv\b|/simple\b|\.whl\b|\.tar\.gz\b|^\s*HTTPError\s*$"),
         check=lambda text, m: not re.search(r"huggingface\.co|hf_hub|model", m.group(0), re.IGNORECASE),
         blocker=fixed("index credentials"), summary="the package index refused the request (no or wrong credentials)"),
    Rule("index-wrong-content-type", "network-or-index", 69,
         rx(r"Skipping page (?P<url>\S+) because the (?:GET|HEAD) request got Content-Type: ?(?P<ctype>[^\n]*?)\.?"
            r"\s*The only supported Content-Types? (?:is|are)"),
         summary="the index answered with a page that is not a package index page",
         action="The index answered {url} with something that is not a package page (a wrong Content-Type): a "
                "proxy, captive portal or broken mirror is in between - check the proxy (HTTPS_PROXY) and "
                "--index-url / pip.conf, clear pip's cache (`pip cache purge`), and retry."),
    # nothing at all offered, and pip looked only at a mirror (not one of the big public ones, which hold all of
    # PyPI within minutes: there "none" means what it means on PyPI) or private index (pip.conf, PIP_INDEX_URL): mirrors
    # lag behind PyPI or lack packages, so the index is the first suspect, before the platform
    Rule("mirror-lacks-package", "network-or-index", 41,
         rx(r"^Looking in indexes: (?P<index>(?![^\n]*(?:pypi\.org|pythonhosted\.org|" + FULL_MIRRORS + r"))[^\n]+)\n"
            r"(?:[^\n]*\n){0,30}?"
            r"[^\n]*(?:Could not find a version that satisfies the requirement|No matching distribution found for) "
            r"(?P<req>[^\s(]+)[^\n]*\(from versions: none\)"),
         # (versions it has that this Python's requires-python excludes: the index answered, the Python is the cause)
         check=lambda text, m: index_answered(text, m) and "that require a different python version" not in text,
         blocker=group("req"),
         summary="the configured index (a mirror, not PyPI) has no {blocker} at all",
         action="pip looked only in {index} - a mirror or private index set in pip.conf / pip.ini or PIP_INDEX_URL - "
                "and it offers no {blocker} at all: mirrors lag behind PyPI or lack packages, so retry against PyPI "
                "itself (`pip install {blocker} --index-url https://pypi.org/simple`), or remove the mirror setting "
                "(`pip config unset global.index-url`)."),
    # a pure-Python build backend PyPI has for every current Python, found nowhere: the index in use does not serve
    # it (a private index or mirror from pip.conf / PIP_INDEX_URL, often a Docker image's), or never answered
    Rule("backend-not-on-index", "network-or-index", 61,
         rx(r"Could not find a version that satisfies the requirement (?P<req>(?:setuptools|wheel|hatchling|poetry-core|"
            r"flit[-_]core|pdm-backend|setuptools[-_]scm|hatch-vcs)\b[^\s(]*)[^\n]*\(from versions: ?(?:none)?\)"),
         check=lambda text, m: not re.search(r"--no-index\b|Ignoring indexes:", text) and reqs.version_key(
             context.read_python(text) or "3.8") >= reqs.version_key("3.8"),
         blocker=group("req"), summary="the index in use offers no {blocker}, which PyPI has for every Python",
         action="pip found no {blocker} at all, and PyPI has it for every current Python: the index this pip uses "
                "does not serve it - a private index or mirror (Artifactory, Nexus, devpi) set in pip.conf / pip.ini "
                "or PIP_INDEX_URL, in a Docker build the image's - or was not reached. `pip config list` shows the "
                "setting: let that index proxy PyPI, or point this install (and its build environment, which reads "
                "the same settings) at PyPI with `--index-url https://pypi.org/simple` / PIP_INDEX_URL."),
    # pyenv-win fetches python.org's installer itself, with its own messages (any language, after a download)
    Rule("pyenv-win-download", "network-or-index", 70,
         rx(r"^\s*:: \[(?:Downloading|Installing)\] ::[^\n]*\n(?:[^\n]*\n){0,12}?\s*:: \[(?:ERROR|Error)\] ::"),
         summary="pyenv-win could not download or run python.org's installer",
         action="pyenv-win could not fetch or run the Python installer from python.org (a TLS, proxy or firewall "
                "problem, or a web installer that could not download its parts): download the full installer (.exe "
                "from the URL shown) manually into %USERPROFILE%\\.pyenv\\pyenv-win\\install_cache\\ and rerun `pyenv "
                "install`, upgrade pyenv-win (`pyenv update`), or install that Python with the python.org installer."),
    # an installer's download that will not unpack: cut short, or held by an antivirus scan while it was read
    Rule("broken-archive", "network-or-index", 69,
         rx(r"Failed to extract archive",
            r"error: (?:invalid (?:gzip|tar) header|failed to unpack)",
            r"pip[\\/]_internal[^\n]*\n(?:[^\n]*\n){0,40}?[^\n]*(?:BadZipFile: File is not a zip file|"
            r"Not a gzip file|EOFError: Compressed file ended)"),
         summary="a downloaded archive would not unpack (a broken or interrupted download)",
         action="The archive the installer downloaded would not unpack: the download was cut short or corrupted, or "
                "an antivirus held the file while it was read. Retry (it often passes the second time); if it keeps "
                "failing clear the cache (`uv cache clean` / `pip cache purge`), exclude the cache folder from the "
                "antivirus scan, and on a slow link raise the timeout (UV_HTTP_TIMEOUT=300, pip --timeout 300)."),
    Rule("hash-mismatch", "network-or-index", 69,
         rx(r"THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE",
            # an old pip checking the #md5= / #sha256= fragment of the index link against what arrived
            r"Bad (?:md5|sha\d+) hash for package (?:https?://\S+)"),
         blocker=first_wheel, summary="a downloaded file of {blocker} failed its hash check (a broken download)",
         action="The file pip got for {blocker} does not match its published hash: a broken download or a corrupt "
                "cache entry (or a proxy/mirror altering files). Rerun with --no-cache-dir (or `pip cache purge` "
                "first) so it is downloaded again; check the file with sha256sum if it keeps failing."),
)
