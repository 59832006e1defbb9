"""``manage.py make_dev_signing_key`` (issue 12): a throwaway development PKI whose two PKCS#12 files sign a decree
that verifies against the root it wrote."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from tdkt import signing
from tests.factories import pki as P

pytestmark = pytest.mark.integration


def test_the_command_writes_keys_that_sign_and_verify(tmp_path):
    out = io.StringIO()
    call_command("make_dev_signing_key", "--dir", str(tmp_path), stdout=out)
    env = dict(re.findall(r"^(TDKT_SIGN_\w+)=(.*)$", out.getvalue(), re.M))
    assert sorted(env) == ["TDKT_SIGN_AGENCY_PKCS12", "TDKT_SIGN_AGENCY_PKCS12_PASSPHRASE", "TDKT_SIGN_DIRECTOR_PKCS12",
                           "TDKT_SIGN_DIRECTOR_PKCS12_PASSPHRASE", "TDKT_SIGN_TRUST_ROOTS"]
    assert oct((tmp_path / "giam-doc.p12").stat().st_mode & 0o777) == "0o600"
    director = signing.KeyConfig("director", pkcs12_path=env["TDKT_SIGN_DIRECTOR_PKCS12"],
                                 pkcs12_passphrase=env["TDKT_SIGN_DIRECTOR_PKCS12_PASSPHRASE"])
    agency = signing.KeyConfig("agency", pkcs12_path=env["TDKT_SIGN_AGENCY_PKCS12"],
                               pkcs12_passphrase=env["TDKT_SIGN_AGENCY_PKCS12_PASSPHRASE"])
    pdf = P.decree_pdf(pages=1, annex=False)
    roots = signing.trust_roots(env["TDKT_SIGN_TRUST_ROOTS"])
    once = signing.sign_pdf(pdf, key=director, field_name="A", page=0, box=(300, 100, 400, 150), roots=[])
    twice = signing.sign_pdf(once, key=agency, field_name="B", page=0, box=(250, 100, 300, 150), roots=[])
    reports = signing.verify_pdf(twice, trust_roots=roots)
    assert [(r.signer, r.valid) for r in reports] == [("Nguyễn Văn Giám đốc (thử nghiệm)", True),
                                                     ("Sở Khoa học và Công nghệ (thử nghiệm)", True)]
    with pytest.raises(CommandError, match="--force"):
        call_command("make_dev_signing_key", "--dir", str(tmp_path), stdout=io.StringIO())
