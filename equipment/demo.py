"""Demo kits and acts in every state: draft, signed, partly returned, closed, cancelled."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from census_coord import clock
from census_coord.demo import DemoContext
from equipment.choices import Component, Condition, KitState, ReturnOutcome
from equipment.models import HandoverAct, TabletKit, all_components_good
from equipment.services import (
    KitReturnLine,
    handover_act_cancel,
    handover_act_create,
    handover_act_sign,
    kit_return_record,
    kit_state_change,
)
from institutions.demo import PILOT_INSTITUTIONS, demo_bin, pilot_active, pilot_campaign
from institutions.models import Institution
from institutions.selectors import campaign_get_active

DEMO_KIT_COUNT = 30
MODELS = ("Samsung Galaxy Tab A7", "Lenovo Tab M10")
SCAN = b"%PDF-1.4\n% demo scan of a signed act\n%%EOF\n"


def _imei(n: int) -> str:
    body = f"35345610{n:06d}"
    total = 0
    for index, char in enumerate(body):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return body + str((10 - total % 10) % 10)


def _kits() -> list[TabletKit]:
    kits = []
    for n in range(1, DEMO_KIT_COUNT + 1):
        components = all_components_good()
        if n % 7 == 0:
            components[Component.STYLUS] = Condition.ABSENT
        if n % 5 == 0:
            components[Component.CASE] = Condition.WORN
        kit, _created = TabletKit.objects.get_or_create(
            serial=f"R9AKM{n:06d}",
            defaults={
                "inventory_number": f"AKM-TAB-{n:04d}",
                "imei": _imei(n),
                "model": MODELS[n % 2],
                "components": components,
            },
        )
        kits.append(kit)
    return kits


def _all_returned(item, **overrides: str) -> KitReturnLine:
    components = {
        code: overrides.get(code, ReturnOutcome.RETURNED)
        for code, condition in item.components_at_handover.items()
        if condition != Condition.ABSENT
    }
    notes = {code: "Жоғалған / утерян" for code, v in components.items() if v != "returned"}
    return KitReturnLine(
        item_id=item.pk,
        tablet_outcome=ReturnOutcome.RETURNED,
        components=components,
        component_notes=notes,
    )


def seed(context: DemoContext) -> None:
    dept = context.users.get("dept")
    kits = _kits()
    campaign = campaign_get_active()
    if dept is not None:
        _seed_pilot_act(context, kits[20:22])
    if dept is None or HandoverAct.objects.filter(campaign=campaign).exists():
        context.say(f"Tablet kits: {TabletKit.objects.count()}; acts already seeded.")
        return

    def institution(number: int) -> Institution:
        return Institution.objects.get(bin=demo_bin(number))

    def hand_over(number: int, chosen: list[TabletKit], day: int) -> HandoverAct:
        place = institution(number)
        return handover_act_create(
            actor=dept,
            institution=place,
            received_by=place.staff.filter(campaign=campaign).order_by("pk").first(),  # type: ignore[arg-type]  # every demo institution has staff
            kits=chosen,
            act_date=dt.date(2021, 9, day),
            instruction_booklets=len(chosen) + 1,
            certificate_blanks=50 * max(len(chosen), 1),
        )

    def sign(act: HandoverAct) -> HandoverAct:
        return handover_act_sign(
            actor=dept,
            act=act,
            department_signed_on=act.act_date,
            recipient_signed_on=act.act_date + dt.timedelta(days=1),
            signed_scan=SimpleUploadedFile("scan.pdf", SCAN),
        ).act

    # The demo officer's institution (№1) holds two kits under a signed act.
    sign(hand_over(1, kits[0:2], 20))
    hand_over(2, kits[2:4], 27)  # draft, awaiting signature
    # Returns are dated after the tablet window, or on the census date if that is earlier
    # (make run's day in the window): the service refuses a return dated in the future.
    partly = sign(hand_over(3, kits[4:7], 21))
    items = list(partly.items.order_by("kit__inventory_number"))
    kit_return_record(
        actor=dept,
        act=partly,
        returned_on=min(dt.date(2021, 11, 3), clock.today()),
        returned_by=partly.received_by,
        lines=[_all_returned(items[0], power_bank=ReturnOutcome.MISSING)],
    )
    closed = sign(hand_over(4, kits[7:9], 22))
    kit_return_record(
        actor=dept,
        act=closed,
        returned_on=min(dt.date(2021, 11, 5), clock.today()),
        returned_by=closed.received_by,
        lines=[_all_returned(item, charger=ReturnOutcome.DAMAGED) for item in closed.items.all()],
        instruction_booklets=3,
        certificate_blanks=20,
        # Fewer blanks came back than were handed over and not used for certificates: the
        # blanks report shows the institution with blanks unaccounted for, explained here.
        note="Бланктердің бір бөлігі бүлінді, акт жасалады / часть бланков испорчена, "
        "будет составлен акт списания",
    )
    handover_act_cancel(actor=dept, act=hand_over(5, kits[9:10], 23))
    for number, chosen in ((7, kits[10:12]), (8, kits[12:13])):
        sign(hand_over(number, chosen, 24))
    kit_state_change(actor=dept, kit=kits[-1], state=KitState.IN_REPAIR)
    states = sorted(set(HandoverAct.objects.values_list("status", flat=True)))
    context.say(f"Tablet kits: {TabletKit.objects.count()}; acts: {', '.join(states)}.")


def _seed_pilot_act(context: DemoContext, kits: list[TabletKit]) -> None:
    """The pilot campaign's act: two kits handed over in September 2020 and all returned,
    recorded through the services while the pilot is briefly active. Only once, and only
    while those kits are in the store."""
    pilot = pilot_campaign()
    if pilot is None or HandoverAct.objects.filter(campaign=pilot).exists():
        return
    if any(kit.state != KitState.IN_STOCK for kit in kits):
        return
    place = Institution.objects.filter(bin=demo_bin(PILOT_INSTITUTIONS[0])).first()
    if place is None:
        return
    dept = context.users["dept"]
    with pilot_active(context) as campaign:
        holder = place.staff.filter(campaign=campaign).order_by("pk").first()
        if holder is None:
            return
        act = handover_act_create(
            actor=dept,
            institution=place,
            received_by=holder,
            kits=kits,
            act_date=dt.date(2020, 8, 28),
            instruction_booklets=len(kits),
            certificate_blanks=20,
        )
        act = handover_act_sign(
            actor=dept,
            act=act,
            department_signed_on=act.act_date,
            recipient_signed_on=act.act_date,
            signed_scan=SimpleUploadedFile("scan.pdf", SCAN),
        ).act
        kit_return_record(
            actor=dept,
            act=act,
            returned_on=dt.date(2020, 10, 9),
            returned_by=holder,
            lines=[_all_returned(item) for item in act.items.all()],
            # The pilot's blanks not issued in the app were filled in by hand (a note is
            # required for blanks left unaccounted).
            note="Бланкілер қолмен толтырылды / бланки заполнены вручную",
        )
    context.say(f"Pilot campaign: act No. {act.number} handed over and returned.")
