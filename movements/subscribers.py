"""What the movements app does when a workflow event is reported (``tdkt.events``); connected in
``MovementsConfig.ready()``. Notifications (issue 13): a registration returned or approved is told to the unit's heads."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from tdkt.enums import NotificationKind
from tdkt.events import transition_committed
from tdkt.notifications import notify
from tdkt.roles import unit_heads

from .enums import RegistrationState


@receiver(transition_committed, dispatch_uid="movements.notify_registration")
def notify_registration(sender, *, workflow, instance, to_state, event=None, **kwargs):
    """Trả lại (with the reason) or Đã duyệt: the unit's heads are told; nobody else's registration is named."""
    if workflow != "movements.registration" or to_state not in (RegistrationState.RETURNED, RegistrationState.APPROVED):
        return
    year = instance.window.year
    if to_state == RegistrationState.RETURNED:
        kind = NotificationKind.REGISTRATION_RETURNED
        text = _("Phiếu đăng ký thi đua năm %(year)s của %(unit)s bị trả lại. Lý do: %(reason)s") % {
            "year": year, "unit": instance.unit, "reason": instance.return_reason or (event.reason if event else "") or "—"}
    else:
        kind = NotificationKind.REGISTRATION_APPROVED
        text = _("Phiếu đăng ký thi đua năm %(year)s của %(unit)s đã được duyệt.") % {"year": year, "unit": instance.unit}
    notify(recipients=unit_heads([instance.unit_id]), kind=kind, text=text,
           link=reverse("movements:registration_detail", args=[instance.pk]))
