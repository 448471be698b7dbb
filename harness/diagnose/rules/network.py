"""Rules: TLS certificates, the index or a proxy out of reach, network timeouts and broken downloads."""
from __future__ import annotations

from typing import Tuple

from harness.diagnose.rules.base import EXCEPTION, PIP_VERDICT, Rule, rx
from harness.diagnose.rules.checks import no_versions_listed
from harness.diagnose.rules.extract import first_wheel, tls_host, uv_download

NETWORK_RULES: Tuple[Rule, ...] = (
    # ssl-certificate: the root cause of both a failed index and a failed model download
    Rule("tls-certificate", "ssl-certificate", 91,
         rx(r"CERTIFICATE_VERIFY_FAILED",
             r"SSLCertVerificationError",
             r"certificate verify failed",
             r"invalid peer certificate",
             r"self[- ]signed certificate in certificate chain"),
         blocker=tls_host, also=EXCEPTION, summary="the TLS certificate of {blocker} could not be verified"),
    # network-or-index
    Rule("uv-http-timeout", "network-or-index", 71,
         rx(r"Failed to download distribution due to network timeout[^\n]*?(?:\(current value: (?P<secs>\d+)s\))?",
             r"(?:request or response body error|Caused by): operation timed out"),
         blocker=uv_download, summary="uv's HTTP timeout ran out while downloading {blocker}"),
    Rule("proxy-refused", "network-or-index", 71,
         rx(r"Tunnel connection failed: (?P<code>\d{3})[^\n']*",
             r"ProxyError\('Cannot connect to proxy",
             r"in _prepare_proxy\b"),
         summary="the proxy refused the connection"),
    Rule("index-unreachable", "network-or-index", 70,
         rx(r"CondaHTTPError: HTTP \d+ [A-Z ]+ for url <(?P<url>[^>\s]+)>",
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
             r"Could not connect, are you offline\?"),
         also=PIP_VERDICT, summary="the package index could not be reached"),
    Rule("connection-retries", "network-or-index", 45,
         rx(r"Retrying \(Retry\(total=\d+[^\n]*?(?:NewConnectionError|ConnectTimeoutError|ReadTimeoutError"
             r"|ProxyError|SSLError|ProtocolError)",
             r"Temporary failure in name resolution",
             r"Name or service not known",
             r"getaddrinfo failed",
             r"Read timed out"),
         check=no_versions_listed, also=PIP_VERDICT, summary="connections to the package index failed"),
    Rule("hash-mismatch", "network-or-index", 69,
         rx(r"THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE"),
         blocker=first_wheel, summary="a downloaded file of {blocker} failed its hash check (a broken download)",
         action="The file pip got for {blocker} does not match its published hash: a broken download or a corrupt "
                "cache entry (or a proxy/mirror altering files). Rerun with --no-cache-dir (or `pip cache purge` "
                "first) so it is downloaded again; check the file with sha256sum if it keeps failing."),
)
