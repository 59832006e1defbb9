"""Bench (not a test): what digital signing adds to a decision.

    .venv/bin/python bench/signing.py                # 60 pages, medians of 5
    .venv/bin/python bench/signing.py --pages 60 --repeat 5

A decision-like document (Nghị định 30 header, a list running over ``--pages`` pages, the signer block, an annex) is
rendered by WeasyPrint, then signed twice as the product does it: the director's visible signature (blue image),
then the agency's seal (red image) in an incremental update — PAdES, SHA-256, keys from PKCS#12 files of a throwaway
PKI (tests/factories/pki.py), validation information embedded. Timestamps come from a TSA over the network in
production; here they are measured apart with pyHanko's offline timestamper (its own cost, not the network's).
Prints the medians: rendering, the two signatures (positions found in the PDF included), and their ratio to the
rendering; the target is that signing adds less than 1 s.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tdkt.settings")
os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

import pypdf  # noqa: E402

from tdkt import signing  # noqa: E402
from tests.factories import pki as P  # noqa: E402


def timed(function):
    """(wall seconds, result); the CPU seconds of this process are added to ``CPU`` under the function's name."""
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    CPU.setdefault(function.__name__, []).append(time.process_time() - cpu)
    return time.perf_counter() - start, result


CPU = {}


def sign_both(pdf, pki, images, timestamper):
    signature, seal = images
    boxes = signing.decree_boxes(pdf, authority=P.DECREE_AUTHORITY, signer_name=P.DECREE_SIGNER,
                                 signature_png=signature, seal_png=seal)
    once = signing.sign_pdf(pdf, key=P.pkcs12_key(pki.director, "director"), field_name="NguoiKy", page=boxes.page,
                            box=boxes.signature, image_png=signature, timestamper=timestamper and timestamper(),
                            roots=pki.roots())
    return signing.sign_pdf(once, key=P.pkcs12_key(pki.agency, "agency"), field_name="CoQuan", page=boxes.page,
                            box=boxes.seal, image_png=seal, timestamper=timestamper and timestamper(), roots=pki.roots())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tdkt-bench-signing-") as folder:
        pki = P.build_pki(folder)
        images = P.signature_png(), P.seal_png()
        pdf = P.decree_pdf(pages=args.pages)
        pages = len(pypdf.PdfReader(__import__("io").BytesIO(pdf)).pages)
        sign_both(pdf, pki, images, None)  # warm-up: pyHanko's and Pillow's imports are not the signing's cost
        render, plain, stamped = [], [], []
        for _ in range(args.repeat):
            def rendering():
                return P.decree_pdf(pages=args.pages)

            def signing_both():
                return sign_both(pdf, pki, images, None)

            def signing_stamped():
                return sign_both(pdf, pki, images, pki.timestamper)

            render.append(timed(rendering)[0])
            seconds, signed = timed(signing_both)
            plain.append(seconds)
            stamped.append(timed(signing_stamped)[0])
        reports = signing.verify_pdf(signed, trust_roots=pki.roots())
        assert [r.valid for r in reports] == [True, True], reports
    r, s, t = (statistics.median(v) for v in (render, plain, stamped))
    cpu = {name: statistics.median(values) for name, values in CPU.items()}
    print(f"document: {pages} pages, {len(pdf) / 1024:.0f} KB; medians of {args.repeat}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times grow with it; CPU times less)")
    print(f"render (WeasyPrint)                     {r:6.3f} s wall  {cpu['rendering']:6.3f} s CPU")
    print(f"sign: director + agency (no timestamp)  {s:6.3f} s wall  {cpu['signing_both']:6.3f} s CPU   "
          f"ratio to render {s / r:.3f}   target < 1 s: {'ok' if s < 1 else 'NOT MET'} (wall), "
          f"{'ok' if cpu['signing_both'] < 1 else 'NOT MET'} (CPU)")
    print(f"sign: both with offline timestamps      {t:6.3f} s wall  {cpu['signing_stamped']:6.3f} s CPU   "
          f"ratio to render {t / r:.3f}")
    print(f"signed file: {len(signed) / 1024:.0f} KB (+{(len(signed) - len(pdf)) / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
