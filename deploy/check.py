#!/usr/bin/env python3
"""Check the deployment files with the real tools, where they are installed (CI: .ci/run; tests/test_deploy.py).

- ``nginx -t`` on deploy/nginx/tdkt.conf, included in a small wrapper configuration, with a self-signed
  certificate made in a temporary folder;
- ``systemd-analyze verify`` on the unit files of deploy/systemd/, rendered with real paths (this checkout and its
  virtualenv instead of /srv/tdkt, temporary folders for the data, backups and environment file), so that
  missing programs or folders are errors and not noise.

Usage: ``python3 deploy/check.py [nginx|systemd ...]``; prints what it checked; exit status 1 when a check fails.
A tool that is not installed is reported as skipped.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
OPENSSL = shutil.which("openssl")


def render(text, paths):
    for production, local in paths.items():
        text = text.replace(production, str(local))
    return text


def check_nginx(work):
    """``nginx -t`` on the site inside a wrapper config; returns (ok, output)."""
    for name in ("ssl", "log", "www", "media", "temp"):
        (work / name).mkdir()
    subprocess.run([OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=tdkt.example.gov.vn",
                    "-keyout", str(work / "ssl" / "privkey.pem"), "-out", str(work / "ssl" / "fullchain.pem")],
                   check=True, capture_output=True)
    site = render((DEPLOY / "nginx" / "tdkt.conf").read_text(), {
        "/etc/ssl/tdkt/": f"{work / 'ssl'}/", "/var/log/nginx/": f"{work / 'log'}/", "/var/www/letsencrypt": work / "www",
        "/srv/tdkt/": f"{ROOT}/", "/var/lib/tdkt/media/": f"{work / 'media'}/"})
    (work / "tdkt.conf").write_text(site)
    temp = work / "temp"
    (work / "nginx.conf").write_text(f"""
pid {work / 'nginx.pid'};
error_log {work / 'log' / 'error.log'};
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {work / 'log' / 'access.log'};
    client_body_temp_path {temp / 'body'};
    proxy_temp_path {temp / 'proxy'};
    fastcgi_temp_path {temp / 'fastcgi'};
    uwsgi_temp_path {temp / 'uwsgi'};
    scgi_temp_path {temp / 'scgi'};
    include {work / 'tdkt.conf'};
}}
""")
    result = subprocess.run([NGINX, "-t", "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "log" / "error.log")],
                            capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    return result.returncode == 0 and "test is successful" in output and "[warn]" not in output, output


def check_systemd(work):
    """``systemd-analyze verify`` on the units with real paths; returns (ok, output)."""
    if not (ROOT / ".venv" / "bin" / "python").exists():
        return False, f"{ROOT / '.venv'} does not exist yet: the units run its programs (run `make install` first)"
    for name in ("lib", "backups", "etc"):
        (work / name).mkdir()
    shutil.copy(DEPLOY / "tdkt.env.example", work / "etc" / "tdkt.env")
    paths = {"/srv/tdkt": ROOT, "/etc/tdkt/tdkt.env": work / "etc" / "tdkt.env", "/var/lib/tdkt": work / "lib",
             "/var/backups/tdkt": work / "backups"}
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        target = work / unit.name
        target.write_text(render(unit.read_text(), paths))
        units.append(str(target))
    result = subprocess.run([SYSTEMD_ANALYZE, "verify", "--man=no", *units], capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    # Lines about units outside deploy/ (the host's own) are not ours to judge.
    ours = [line for line in output.splitlines() if "tdkt" in line]
    return result.returncode == 0 and not ours, output


CHECKS = {"nginx": (check_nginx, lambda: NGINX and OPENSSL), "systemd": (check_systemd, lambda: SYSTEMD_ANALYZE)}


def main(names):
    failed = False
    for name in names or CHECKS:
        check, available = CHECKS[name]
        if not available():
            print(f"deploy check {name}: skipped (tool not installed)")
            continue
        with tempfile.TemporaryDirectory(prefix=f"tdkt-{name}-") as work:
            ok, output = check(Path(work))
        print(f"deploy check {name}: {'ok' if ok else 'FAILED'}" + (f"\n{output}" if output and not ok else ""))
        failed |= not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
