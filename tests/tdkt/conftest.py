"""Signing fixtures shared by the core's tests: one throwaway PKI, the images, a rendered decision and its signed
copy per session (building keys and signing take seconds)."""

import pytest

from tests.factories import pki as P


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    return P.build_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def images():
    return P.signature_png(), P.seal_png()


@pytest.fixture(scope="session")
def decree():
    return P.decree_pdf(pages=3)


@pytest.fixture(scope="session")
def signed(decree, pki, images):
    return P.sign_decree(decree, pki, images=images)
