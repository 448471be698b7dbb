"""Advice for the network: the index out of reach, a proxy, TLS certificates, timeouts."""
from __future__ import annotations

import re
from typing import Tuple

from harness.diagnose.advice.base import Facts, curl, fresh, install_cmd, on_windows, q, set_env, venv_pip


def network_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    if f.rule == "uv-http-timeout":
        current = int(f.seconds or 30)
        wanted = max(300, current * 4)
        return (f"uv gave up after its HTTP timeout ({current} s) while downloading {f.blocker or 'a file'}: raise "
                f"UV_HTTP_TIMEOUT (`{set_env(f, 'UV_HTTP_TIMEOUT', str(wanted))}`) and rerun; on a slow link a "
                f"closer mirror (--index-url) helps too.",
                (set_env(f, "UV_HTTP_TIMEOUT", str(wanted)), install_cmd(f, f.pack)))
    if f.rule == "proxy-refused":
        code = f.groups.get("code")
        auth = (" wants authentication (407): give it the credentials (`--proxy http://USER:PASSWORD@PROXY:PORT` "
                "or HTTPS_PROXY, with @ and : inside them percent-encoded as %40 and %3A); a Windows (NTLM) proxy "
                "often needs a local relay such as cntlm or px" if code == "407" else
                f" refused the tunnel{f' ({code})' if code else ''}: check the proxy address and its rules for "
                "pypi.org / files.pythonhosted.org")
        return (f"The proxy{auth}, then rerun.",
                (set_env(f, "HTTPS_PROXY", "http://USER:PASSWORD@PROXY:PORT"), install_cmd(f, f.pack)))
    url = f.url or "https://pypi.org/simple/"
    host = re.sub(r"^\w+://([^/]+).*$", r"\1", url)
    return (f"Check that {host} is reachable from this machine (DNS, proxy, firewall, TLS interception) and "
            f"rerun; behind a proxy set HTTPS_PROXY, with a mirror pass --index-url.",
            (f"{curl(f)} -sSI {url}",) + fresh(f, f.python or f.target_python, "--index-url",
                                                  "https://pypi.org/simple", f.pack))


def ssl_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    host = f.blocker or "the server"
    if f.platform == "macos":
        store = "run the python.org installer's 'Install Certificates.command' (or `pip install --upgrade certifi`)"
    else:
        store = "update the CA certificates (`pip install --upgrade certifi`)"
    tool = ("uv: `--native-tls` uses the system store" if f.installer == "uv" else
            "pip: `--cert PATH` or PIP_CERT")
    bundle = "C:\\certs\\company-ca.pem" if on_windows(f) else "/path/to/company-ca.pem"
    return (f"The TLS certificate of {host} was not trusted: behind a proxy or antivirus that intercepts TLS, "
            f"point Python at that CA bundle (SSL_CERT_FILE / REQUESTS_CA_BUNDLE; {tool}); otherwise {store}. "
            f"Do not turn verification off." + (" (--trusted-host only skips the check for the hosts it names: "
                                                  "pypi.org and files.pythonhosted.org today, not pypi.python.org.)"
                                                  if "--trusted-host" in f.log else ""),
            (set_env(f, "SSL_CERT_FILE", bundle), set_env(f, "REQUESTS_CA_BUNDLE", bundle),
             f"{curl(f)} -sSI https://{host if f.blocker else 'pypi.org'}/"))


def timeout_advice(f: Facts) -> Tuple[str, Tuple[str, ...]]:
    step = f"The {f.step} step" if f.step else "The step"
    after = f" after {f.seconds:.0f} s" if f.seconds is not None else ""
    return (f"{step} was stopped{after}: rerun it with a longer timeout (matrix.yaml timeouts) or a "
            f"warm cache; if it hangs, run its command by hand to see where.",
            (install_cmd(f, "-v", f.pack),) if f.installer == "uv" else (f"{venv_pip(f)} install -v {q(f.pack)}",))
