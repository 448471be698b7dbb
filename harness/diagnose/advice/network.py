"""Advice for the network: the index out of reach, a proxy, TLS certificates, timeouts."""
from __future__ import annotations

import re
from typing import Tuple

from harness.diagnose.advice.base import Facts, bare_pip, curl, fresh, install_cmd, on_windows, q, set_env, venv_pip

# indexes anyone may read: a 403 from them is not about credentials
PUBLIC_INDEX_403 = re.compile(r"\b403\b[^\n]*https?://(?P<host>(?:download\.pytorch\.org|(?:[\w-]+\.)?pypi\.org|"
                              r"files\.pythonhosted\.org|pypi\.python\.org|pypi\.nvidia\.com))/")


def network_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    public = PUBLIC_INDEX_403.search(f.log)
    if public:
        return public_403_advice(f, public.group("host"))
    direct = DIRECT_FILE_REFUSED.search(f.log)
    if direct:
        return direct_file_gone_advice(f, direct.group("url"))
    if f.rule == "index-unauthorized":
        return unauthorized_advice(f)
    if f.rule == "proxy-refused":
        code = f.groups.get("code")
        auth = (" wants authentication (407): give it the credentials (`--proxy http://USER:PASSWORD@PROXY:PORT` "
                "or HTTPS_PROXY, with @ and : inside them percent-encoded as %40 and %3A); a Windows (NTLM) proxy "
                "often needs a local relay such as cntlm or px" if code == "407" else
                f" refused the tunnel{f' ({code})' if code else ''}: check the proxy address and its rules for "
                "pypi.org / files.pythonhosted.org")
        return (f"The proxy{auth}, then rerun.",
                (set_env(f, "HTTPS_PROXY", "http://USER:PASSWORD@PROXY:PORT"), install_cmd(f, f.pack)))
    if re.search(r"CondaHTTPError|conda\.anaconda\.org|repo\.anaconda\.com", f.log):
        return ("conda could not reach its channel (HTTP 000: no connection - a proxy, firewall or VPN, or the channel "
                "host is down): behind a proxy set it for conda (`conda config --set proxy_servers.https "
                "http://PROXY:PORT`, or HTTPS_PROXY), use a reachable mirror channel, and retry; HTTP errors are often "
                "intermittent, and a slow link wants `conda config --set remote_read_timeout_secs 120`; behind a "
                "corporate proxy that inspects TLS, give conda the company's root certificate (`conda config --set "
                "ssl_verify PATH-TO-corporate-ca.pem`).",
                ("conda config --set proxy_servers.https http://PROXY:PORT", "conda config --show channels"))
    pool = re.search(r"HTTPS?ConnectionPool\(host='([^']+)'", f.log)
    url = f.url or (f"https://{pool.group(1)}/" if pool else "https://pypi.org/simple/")
    host = re.sub(r"^\w+://([^/]+).*$", r"\1", url)
    listed = re.search(r"^Looking in indexes: ([^\n]+)", f.log, re.MULTILINE)
    others = [u.strip() for u in (listed.group(1).split(",") if listed else [url])
              if not re.search(r"//(?:[\w.-]+\.)?(?:pypi\.org|pythonhosted\.org|pypi\.python\.org)\b", u)
              and not re.search(r"\.(?:whl|tar\.gz|zip)$", u.strip())]  # a file's URL is not an index
    extra = (f" pip also asks {', '.join(others[:2])}: if that is an extra index set in pip.conf / pip.ini, "
             f"PIP_EXTRA_INDEX_URL or a requirements file (`pip config list` shows where) and it is gone or not "
             f"needed, remove that extra-index-url." if others else "")
    # one file named by its URL (a wheel off the index): a browser may fetch what the installer could not
    single = re.search(r"https?://\S+?\.(?:whl|tar\.gz|zip)\b", f.log)
    local = "PATH\\TO\\FILE" if on_windows(f) else "path/to/file"
    by_hand = (f" The file is named by its URL: download it in a browser ({single.group(0)}) and install the local "
               f"file (`{bare_pip(f)} install {local}`, or a path in the requirement)." if single and not re.search(
                   r"(?:pypi\.org|pythonhosted\.org)/", single.group(0)) else "")
    return (f"Check that {host} is reachable from this machine (DNS, proxy, firewall, TLS interception) and "
            f"rerun; behind a proxy set HTTPS_PROXY, with a mirror pass --index-url.{extra}{slow_link_note(f)}{by_hand}",
            (f"{curl(f)} -sSI {url}",) + fresh(f, f.python or f.target_python, "--index-url",
                                                  "https://pypi.org/simple", f.pack))


# `pip install https://host/path/file.whl` answered 403/404: the link itself is dead
DIRECT_FILE_REFUSED = re.compile(r"^\s*\$?\s*pip\d?(?:\.exe)? install [^\n]*?(?P<url>https?://\S+?\.(?:whl|tar\.gz|zip))\b"
                                 r"(?=[\s\S]*\b(?:403|404)\b)", re.MULTILINE)


def direct_file_gone_advice(f: Facts, url: str) -> Tuple[str, Tuple[str, ...]]:
    """A wheel named by its URL that the server refuses or no longer has: the project moved its files."""
    torch = " (PyTorch: the command pytorch.org's selector prints, from download.pytorch.org/whl)" if re.search(
        r"pytorch|torch", url) else ""
    return (f"The file named by its URL ({url}) is no longer there (403/404 for a direct link: the project removed "
            f"or moved it, often to a new host): take the install command from the project's current instructions"
            f"{torch}, or install a release from the index instead of the old link.",
            (f"{curl(f)} -sSI {url}",))


def public_403_advice(f: Facts, host: str) -> Tuple[str, Tuple[str, ...]]:
    """A public index needs no credentials: its 403 comes from a stale cache entry or from something in between."""
    return (f"{host} is a public index that asks for no credentials, so its 403 (Forbidden) comes from a stale or "
            f"corrupt entry in pip's cache, or from a proxy, firewall or VPN between: clear pip's cache (`{bare_pip(f)} "
            f"cache purge`, or install once with --no-cache-dir) and retry; if it stays, try another network (a "
            f"proxy's or region's block) and check that the URL names a file that exists.",
            (f"{bare_pip(f)} cache purge", install_cmd(f, "--no-cache-dir", f.pack)))


def unauthorized_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """A private index answered 401/403: the installer sent no credentials, or ones it does not accept."""
    if re.search(r"\bpoetry\b|pypoetry", f.log, re.IGNORECASE):
        how = ("give poetry the index's credentials: `poetry config http-basic.REPO USER TOKEN` (or the environment "
               "variables POETRY_HTTP_BASIC_REPO_USERNAME / POETRY_HTTP_BASIC_REPO_PASSWORD), with REPO the source's "
               "name in pyproject.toml; a token for GitLab/Azure goes in as the password")
        check = "poetry config --list"
    elif f.installer == "uv" or re.search(r"\buv\b", f.log):
        how = ("give uv the index's credentials: in the URL (`https://USER:TOKEN@host/simple`), or UV_INDEX_<NAME>_USERNAME"
               " / UV_INDEX_<NAME>_PASSWORD for a named index, or a keyring (`--keyring-provider subprocess`)")
        check = "uv pip install -v PACKAGE"
    else:
        how = ("give pip the index's credentials: in the index URL (`--index-url https://USER:TOKEN@host/simple`), in "
               "~/.netrc (`machine host login USER password TOKEN`), or through keyring")
        check = "python -m pip config list"
    return (f"The package index refused the request (HTTP 401/403: no credentials, or wrong or expired ones): {how}; "
            f"check that the token may read packages, and that the URL is the index's.", (check,))


def ssl_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.rule == "tls-handshake":
        return ("The TLS handshake broke off (not a certificate problem): most often a proxy - an HTTPS_PROXY written "
                "as https://... for a plain http proxy (use http://PROXY:PORT), or a firewall/antivirus that cuts TLS; "
                "an old OpenSSL can cause it too (update Python/OpenSSL, or conda's openssl). Or download the file by "
                "hand in a browser and put it where the tool expects it.",
                (set_env(f, "HTTPS_PROXY", "http://PROXY:PORT"), f"{curl(f)} -v https://pypi.org/"))
    host = f.blocker or "the server"
    if f.rule == "macos-python-org-no-certificates":
        version = re.search(r"Python\.framework/Versions/(\d\.\d+)/", f.log)
        folder = f"/Applications/Python {version.group(1)}" if version else "/Applications/Python 3.x"
        return (f"python.org's macOS Python comes without CA certificates, so every HTTPS download from it fails until "
                f"its 'Install Certificates.command' has run: open {folder} in the Finder and run it (it installs "
                f"certifi's bundle), or `pip install --upgrade certifi` and point SSL_CERT_FILE at "
                f"`python3 -m certifi`; then retry.",
                (f"open \"{folder}/Install Certificates.command\"", "export SSL_CERT_FILE=\"$(python3 -m certifi)\""))
    if re.search(r"https?://pypi\.python\.org/simple", f.log) and "--trusted-host" not in f.log:
        # the index's address before 2018: only a pip from then (before 9.0.2) still asks it by default
        return ("This pip is old: it still asks pypi.python.org, the index's address before 2018, whose certificate "
                "and TLS it can no longer agree on, so it cannot upgrade itself either. Upgrade pip with get-pip.py "
                "(download https://bootstrap.pypa.io/get-pip.py, then `python get-pip.py`), or install a current "
                "Python, whose pip uses pypi.org; then install again." + (
                    " If a proxy or antivirus intercepts TLS here (a company network), give pip its CA as well (`--cert "
                    "PATH`, or REQUESTS_CA_BUNDLE); `--trusted-host pypi.python.org` skips the check for that host only."
                    if re.search(r"CERTIFICATE_VERIFY_FAILED|certificate verify failed", f.log) else ""),
                (f"{curl(f)} -sSLo get-pip.py https://bootstrap.pypa.io/get-pip.py", "python get-pip.py"))
    if re.search(r"PKIX path building failed|unable to find valid certification path", f.log):
        # Java (Bazel, Gradle, Maven) checks against its own truststore, not Python's or the system's
        cacerts = ("%JAVA_HOME%\\lib\\security\\cacerts" if f.shell == "cmd" else "$env:JAVA_HOME\\lib\\security\\cacerts"
                   if on_windows(f) else "$JAVA_HOME/lib/security/cacerts")
        keytool = f'keytool -importcert -alias company-ca -file company-ca.pem -keystore "{cacerts}"'
        return (f"A Java tool (Bazel, Gradle) did not trust the certificate of {host}: Java checks its own truststore "
                f"(the JDK's cacerts), so behind a proxy or antivirus that intercepts TLS import that CA there "
                f"(`{keytool}`), or point the tool at a trustStore that has it (`-Djavax.net.ssl.trustStore=...`).",
                (keytool,))
    mismatch = re.search(r"hostname '(?P<asked>[^'\n]+)' doesn't match '(?P<got>[^'\n]+)'", f.log)
    if mismatch:
        # an old Python (before 2.7.9) sends no SNI, so a shared host answers with another site's certificate
        return (f"{mismatch.group('asked')} answered with the certificate of {mismatch.group('got')}: this Python's ssl "
                f"is too old to send the host name (SNI, Python 2.7.9+ and 3.2+) that shared hosts need. Use a newer "
                f"Python, or download the file with curl or wget and install the local file "
                f"(`{bare_pip(f)} install ./FILE.whl`).",
                (f"{curl(f)} -LO URL", f"{bare_pip(f)} install ./FILE.whl"))
    if f.platform == "macos":
        store = "run the python.org installer's 'Install Certificates.command' (or `pip install --upgrade certifi`)"
    else:
        store = "update the CA certificates (`pip install --upgrade certifi`)"
    pixi = re.search(r"^\S*>?\s*pixi(?:\.exe)? |\bpixi \d+\.\d+", f.log, re.MULTILINE)
    tool = ("pixi: it trusts its own bundled roots, not the company CA in the system's certificate store - set "
            "`tls-root-certs = \"system\"` in pixi's config.toml (\"native\" in the releases that introduced it; "
            "`--tls-root-certs` / PIXI_TLS_ROOT_CERTS for one run; upgrade pixi if it has neither), "
            "and for a private PyPI index with an internal certificate `[pypi-config] allow-insecure-host = "
            "[\"HOST\"]` (--tls-no-verify does not cover the PyPI side)" if pixi else
            "uv: `--native-tls` (UV_NATIVE_TLS=1) uses the system store" if f.installer == "uv" else
            "conda: `conda config --set ssl_verify PATH-TO-CA.pem`" if f.installer == "conda" else
            "pip: `--cert PATH` or PIP_CERT, or `pip install pip-system-certs` / truststore to use the system store")
    bundle = "C:\\certs\\company-ca.pem" if on_windows(f) else "/path/to/company-ca.pem"
    return (f"The TLS certificate of {host} was not trusted: behind a proxy or antivirus that intercepts TLS, "
            f"point Python at that CA bundle (SSL_CERT_FILE / REQUESTS_CA_BUNDLE; {tool}); otherwise {store}. "
            f"A file (a model, an archive) can also be downloaded by hand in a browser, which uses the system's "
            f"certificates. Do not turn verification off." + (" (--trusted-host only skips the check for the hosts it names: "
                                                  "pypi.org and files.pythonhosted.org today, not pypi.python.org.)"
                                                  if "--trusted-host" in f.log else ""),
            (set_env(f, "SSL_CERT_FILE", bundle), set_env(f, "REQUESTS_CA_BUNDLE", bundle),
             f"{curl(f)} -sSI https://{host if f.blocker else 'pypi.org'}/"))


def timeout_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.rule == "uv-http-timeout" or (f.rule == "network-timeout" and f.installer == "uv"):
        current = int(f.seconds or 30)
        wanted = max(300, current * 4)
        return (f"uv gave up after its HTTP timeout ({current} s) while downloading {f.blocker or 'a file'}: raise "
                f"UV_HTTP_TIMEOUT (`{set_env(f, 'UV_HTTP_TIMEOUT', str(wanted))}`) and rerun; on a slow link a "
                f"closer mirror (--index-url) or a proxy (HTTPS_PROXY) helps too.",
                (set_env(f, "UV_HTTP_TIMEOUT", str(wanted)), install_cmd(f, f.pack)))
    if f.rule in ("network-timeout", "pip-download-cut"):
        return network_timeout_advice(f)
    if f.rule == "curl-low-speed-abort":
        off = set_env(f, "MAMBA_NO_LOW_SPEED_LIMIT", "1")
        return (f"libcurl's low-speed check aborted the download of {f.blocker or 'a package'} (slower than its floor "
                f"for a whole minute); mamba, micromamba and conda's libmamba apply it to every file, so a large "
                f"package on a slow link never finishes: turn the check off (`{off}`) and retry, or use a closer "
                f"mirror channel.", (off,))
    step = f"The {f.step} step" if f.step else "The step"
    after = f" after {f.seconds:.0f} s" if f.seconds is not None else ""
    return (f"{step} was stopped{after}: rerun it with a longer timeout (matrix.yaml timeouts) or a "
            f"warm cache; if it hangs, run its command by hand to see where.",
            (install_cmd(f, "-v", f.pack),) if f.installer == "uv" else (f"{venv_pip(f)} install -v {q(f.pack)}",))


def network_timeout_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    """A download that ran out of time: give the installer more time and retries, or a closer or proxied route."""
    pip_ran = re.search(r"pip[\\/]_vendor|pip\._vendor|^Collecting ", f.log, re.MULTILINE)
    if not pip_ran and (f.installer == "conda" or re.search(r"CondaHTTPError|[\\/]conda[\\/]", f.log)):
        return ("conda's connection to its channel timed out: raise its timeouts and retries (`conda config --set "
                "remote_read_timeout_secs 120`, `conda config --set remote_connect_timeout_secs 30`, `conda config "
                "--set remote_max_retries 10`; `conda update conda` on an old conda), then retry; behind a proxy set "
                "proxy_servers (or HTTPS_PROXY), or use a closer mirror channel.",
                ("conda config --set remote_read_timeout_secs 120", "conda config --set remote_connect_timeout_secs 30",
                 "conda config --set remote_max_retries 10"))
    hub = re.search(r"host='(huggingface\.co|[\w.-]*hf\.co)'", f.log)
    if hub:
        return (f"The connection to {hub.group(1)} (the model hub, not pip) timed out: behind a proxy set HTTPS_PROXY; "
                f"use a mirror ({set_env(f, 'HF_ENDPOINT', 'https://hf-mirror.com')}) or give it more time "
                f"(HF_HUB_DOWNLOAD_TIMEOUT=60, HF_HUB_ETAG_TIMEOUT=60); or download the model by hand from "
                f"huggingface.co and point the tool at the local folder.",
                (set_env(f, "HF_HUB_DOWNLOAD_TIMEOUT", "60"), set_env(f, "HF_ENDPOINT", "https://hf-mirror.com")))
    pip = bare_pip(f)
    return (f"The download timed out (a slow or unstable link; large wheels such as TensorFlow's take long): give pip "
            f"more time and retries - `{pip} install --default-timeout=120 --retries 10 ...` (or "
            f"{set_env(f, 'PIP_DEFAULT_TIMEOUT', '120')}) - and rerun; resumed downloads are cached. On a slow or "
            f"filtered network use a closer mirror (--index-url) or the proxy (`--proxy` / HTTPS_PROXY).",
            (set_env(f, "PIP_DEFAULT_TIMEOUT", "120"), f"{pip} install --default-timeout=120 --retries 10 {q(f.pack)}"))


SLOW_LINK = re.compile(r"timed? ?out|timeout|retries|retrying|Retrying \(Retry\(", re.IGNORECASE)


def slow_link_note(f: Facts) -> str:
    """A connection that timed out or was retried: the installer's own timeout and retry knobs."""
    if not SLOW_LINK.search(f.log):
        return ""
    if f.installer == "uv":
        return (f" On a slow link raise uv's timeout (`{set_env(f, 'UV_HTTP_TIMEOUT', '300')}`; "
                f"UV_HTTP_RETRIES for more retries).")
    return (f" On a slow link give pip more time and retries (`{bare_pip(f)} install --timeout 120 --retries 10 ...`, "
            f"or {set_env(f, 'PIP_DEFAULT_TIMEOUT', '120')}).")
