"""The councils app's block of the home page (issue 13, registered in ``CouncilsConfig.ready`` on
``tdkt.hooks.provide_dashboard``): for a member, the votes waiting for them, the items to review and their coming
meetings; for the office, the coming meetings. Nothing for the others (see :func:`.summary.home_summary`)."""

from tdkt.hooks import Block

from .summary import home_summary


def dashboard(user):
    block = home_summary(user).get("council")
    if block is None:
        return []
    return [Block("councils/home/council.html", order=30, council=block)]
