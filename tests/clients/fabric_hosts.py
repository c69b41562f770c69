"""The service's host names on loopback, for clients that reach nothing else (the Fabric CLI).

`fab` builds `https://api.fabric.microsoft.com/v1/...` itself (its `FAB_API_ENDPOINT_*` variables
accept only `*.fabric.microsoft.com`-style host names, without a port) and checks the RS256
signature of `FAB_TOKEN` against the keys `login.microsoftonline.com` publishes. This module
gives it both, for the time of a test:

- a certificate authority made for the test, and a certificate for the host names below;
- an HTTPS proxy (`HTTPS_PROXY`, CONNECT) that ends TLS for those host names and hands
  `api.fabric.microsoft.com` to the emulator over plain HTTP, and answers
  `login.microsoftonline.com/{tenant}/discovery/v2.0/keys` with the test's signing key; any other
  host is refused;
- tokens signed with that key, carrying the audience, tenant and object ids fab checks.

Nothing leaves the machine: the proxy listens on 127.0.0.1 and connects only to the emulator.

Run as a program, it does the same for you, outside the tests, until Ctrl-C:

    python3 tests/clients/fabric_hosts.py                    # starts copyjob-emulator itself
    python3 tests/clients/fabric_hosts.py -- --lro async     # ... with these emulator options
    python3 tests/clients/fabric_hosts.py --emulator-port 5055   # an emulator already running

and prints the `export ...` line to paste into the shell that runs `fab` (`scripts/fab-emulator`
at the repository root builds the emulator and the venv first). It needs the Python packages
`cryptography` and `PyJWT` (and `requests`, to start the emulator), all in requirements.txt.
"""

import argparse
import datetime
import json
import shlex
import shutil
import signal
import socket
import sys
import tempfile
import ssl
import threading
import time
from pathlib import Path

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

API_HOST = "api.fabric.microsoft.com"
LOGIN_HOST = "login.microsoftonline.com"
HOSTS = [API_HOST, LOGIN_HOST]
FABRIC_AUDIENCE = "https://analysis.windows.net/powerbi/api"
ONELAKE_AUDIENCE = "https://storage.azure.com"
TENANT_ID = "7e5a0000-0000-4000-8000-00000000fab0"
OBJECT_ID = "0b1e0000-0000-4000-8000-00000000fab1"
KEY_ID = "copyjob-test-key"


def _new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(obj):
    if isinstance(obj, x509.Certificate):
        return obj.public_bytes(serialization.Encoding.PEM)
    return obj.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


class FabricHosts:
    """The CA, the signing key and the proxy; `env` is what the client process needs."""

    def __init__(self, folder: Path):
        now = datetime.datetime.now(datetime.timezone.utc)
        valid = dict(not_valid_before=now - datetime.timedelta(hours=1), not_valid_after=now + datetime.timedelta(days=1))
        ca_key, key = _new_key(), _new_key()
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "copyjob client tests CA")])
        ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
              .serial_number(x509.random_serial_number())
              .not_valid_before(valid["not_valid_before"]).not_valid_after(valid["not_valid_after"])
              .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
              .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                           data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                           crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
              .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
              .sign(ca_key, hashes.SHA256()))
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, API_HOST)]))
                .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(valid["not_valid_before"]).not_valid_after(valid["not_valid_after"])
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(h) for h in HOSTS]), critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
                .sign(ca_key, hashes.SHA256()))
        self.ca_file = folder / "ca.pem"
        self.ca_file.write_bytes(_pem(ca))
        (folder / "host.pem").write_bytes(_pem(cert))
        (folder / "host.key").write_bytes(_pem(key))
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.tls.load_cert_chain(folder / "host.pem", folder / "host.key")
        self.signing_key = _new_key()
        self.emulator_port = None  # set once the emulator listens
        self.server = socket.create_server(("127.0.0.1", 0))
        self.proxy_port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def token(self, audience: str, lifetime: int = 3600) -> str:
        """A token signed with the key the proxy publishes, valid for `lifetime` seconds."""
        now = int(time.time())
        claims = {"aud": audience, "tid": TENANT_ID, "oid": OBJECT_ID, "upn": "deployer@example.com",
                  "iat": now, "nbf": now, "exp": now + lifetime}
        return jwt.encode(claims, self.signing_key, algorithm="RS256", headers={"kid": KEY_ID})

    def env(self, fabric_token: str, lifetime: int = 3600) -> dict:
        """The variables a client process needs: the proxy, the CA, and fab's two tokens."""
        return {
            "HTTPS_PROXY": f"http://127.0.0.1:{self.proxy_port}",
            "REQUESTS_CA_BUNDLE": str(self.ca_file),
            "FAB_TOKEN": fabric_token,
            "FAB_TOKEN_ONELAKE": self.token(ONELAKE_AUDIENCE, lifetime),
        }

    def close(self):
        self.server.close()


    def _jwks(self) -> bytes:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.signing_key.public_key()))
        jwk.update({"kid": KEY_ID, "use": "sig", "alg": "RS256"})
        return json.dumps({"keys": [jwk]}).encode()

    def _accept(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(conn,), daemon=True).start()

    def _tunnel(self, conn):
        with conn:
            head = _read_head(conn)
            parts = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
            host = parts[1].rsplit(":", 1)[0] if len(parts) == 3 and parts[0] == "CONNECT" else None
            if host not in HOSTS:
                conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                return
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            with self.tls.wrap_socket(conn, server_side=True) as tls:
                if host == LOGIN_HOST:
                    request = _read_head(tls).split(b" ", 2)
                    ok = len(request) == 3 and request[1].endswith(b"/discovery/v2.0/keys")
                    body = self._jwks() if ok else b"{}"
                    status = b"200 OK" if ok else b"404 Not Found"
                    tls.sendall(b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\nConnection: close\r\n"
                                + b"Content-Length: %d\r\n\r\n" % len(body) + body)
                    return
                with socket.create_connection(("127.0.0.1", self.emulator_port)) as upstream:
                    back = threading.Thread(target=_pipe, args=(upstream, tls), daemon=True)
                    back.start()
                    _pipe(tls, upstream)
                    back.join(timeout=30)


# The emulator option that goes with the proxy: `Location` headers and `continuationUri` through
# the service's host name, so that fab follows them back through the proxy.
EMULATOR_ARGS = ["--public-url", f"https://{API_HOST}"]


def _read_head(sock) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def _pipe(source, target):
    try:
        while chunk := source.recv(65536):
            target.sendall(chunk)
    except OSError:
        pass
    finally:
        try:
            target.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="fab against copyjob-emulator: an HTTPS proxy for the service's host names (with a CA made "
                    "for the run) and signed tokens; prints the variables to export, then serves until Ctrl-C.",
        epilog="Options after `--` go to the emulator it starts (for example -- --lro async).")
    parser.add_argument("--emulator-port", type=int, metavar="N",
                        help="forward to an emulator already listening on 127.0.0.1:N (run it with "
                             + " ".join(EMULATOR_ARGS) + "); default: start one")
    parser.add_argument("--folder", type=Path, metavar="DIR",
                        help="where to write ca.pem (default: a temporary folder, removed on exit)")
    parser.add_argument("--hours", type=int, default=12, help="how long the tokens last (default 12, at most 23)")
    argv = sys.argv[1:] if argv is None else argv
    split = argv.index("--") if "--" in argv else len(argv)
    args, emulator_options = parser.parse_args(argv[:split]), argv[split + 1:]
    if emulator_options and args.emulator_port is not None:
        parser.error("options after -- are for an emulator this starts, not with --emulator-port")
    if not 1 <= args.hours <= 23:
        parser.error("--hours must be between 1 and 23 (the certificates last a day)")

    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # cleans up as Ctrl-C does
    folder = args.folder or Path(tempfile.mkdtemp(prefix="fab-emulator-"))
    folder.mkdir(parents=True, exist_ok=True)
    hosts = FabricHosts(folder)
    lifetime = args.hours * 3600
    token = hosts.token(FABRIC_AUDIENCE, lifetime)
    process = None
    try:
        if args.emulator_port is None:
            from emulator import launch
            process, url = launch("--port", "0", "--token", token, *EMULATOR_ARGS, *emulator_options)
        else:
            url = f"http://127.0.0.1:{args.emulator_port}"
        hosts.emulator_port = int(url.rsplit(":", 1)[1])
        env = hosts.env(token, lifetime)
        print(f"# fab against the emulator at {url} (as https://{API_HOST}); paste into the shell that runs fab:")
        print("export " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()))
        if process is None:
            print(f"# the emulator must run with: copyjob-emulator --port {args.emulator_port} "
                  + " ".join(EMULATOR_ARGS) + " --token " + shlex.quote(token)
                  + "  (--token optional: without one it accepts any token)")
        print(f"# tokens valid for {args.hours} h; Ctrl-C stops the proxy"
              + (" and the emulator" if process else ""), flush=True)
        if process is not None:
            process.wait()
            print(f"fabric_hosts: the emulator exited ({process.returncode})", file=sys.stderr)
            return 1
        threading.Event().wait()
    except KeyboardInterrupt:
        return 0
    finally:
        hosts.close()
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
            process.stdout.close()
        if args.folder is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
