"""The demo's library of good examples (docs/library.md): a few small PDFs and Word files with
Swedish text, made in code (``library.samples``), and links; shared by principals and the
organiser's staff, some with every organiser on the installation. Built through
``library.domain`` like real sharing, with its own ``random.Random(seed)``.

Side effects: Example rows with tags, their files under MEDIA_ROOT, the search index, audit
events. ``delete`` removes them again (files and index entries too).
"""

import random

from django.core.files.uploadedfile import SimpleUploadedFile

from stegvis.core import schoolforms
from stegvis.library import domain
from stegvis.library.models import Example
from stegvis.library.samples import docx_bytes, pdf_bytes

# (kind, title, file kind or a link, school forms, shared with every organiser, description, text)
EXAMPLES = [
    (
        "plan",
        "Digitaliseringsplan för grundskolan 2026/27",
        "pdf",
        ["grundskola"],
        True,
        "Vår lokala digitaliseringsplan med mål, aktiviteter och uppföljning per läsår.",
        [
            "Skolan ska ge alla elever en likvärdig tillgång till digitala verktyg: en dator per elev från årskurs 4 "
            "och lärplattor i de yngre åldrarna.",
            "Arbetslagen följer upp planen två gånger per termin. Rektorn redovisar resultatet i kvalitetsdialogen.",
            "Fortbildningen under hösten handlar om programmering i matematik och teknik.",
        ],
    ),
    (
        "policy",
        "Användarpolicy för elevernas lärplattor",
        "docx",
        ["forskola", "grundskola"],
        True,
        "Hur barn och elever lånar, vårdar och lämnar tillbaka sin lärplatta, och vad vårdnadshavare behöver veta.",
        [
            "Varje elev lånar en lärplatta som tillhör skolan. Lärplattan förvaras i klassrummet och laddas över natten.",
            "Lösenord är personliga och lämnas aldrig ut. Skolan installerar de appar som används i undervisningen.",
            "Vid skada kontaktar eleven sin mentor samma dag.",
        ],
    ),
    (
        "lesson",
        "Lektionsidé: programmera robotar i förskoleklass",
        "docx",
        ["grundskola"],
        False,
        "Fyra tillfällen med golvrobotar: från att ge instruktioner till att hitta och rätta fel.",
        [
            "Barnen arbetar i par och ger roboten instruktioner för att ta sig genom en bana på golvet.",
            "Vi pratar om vad en algoritm är och varför ordningen på stegen spelar roll.",
            "Avsluta med att barnen ritar sin egen bana åt ett annat par.",
        ],
    ),
    (
        "routine",
        "Rutin för lösenord och inloggning",
        "pdf",
        ["grundskola", "gymnasieskola"],
        False,
        "Vem gör vad när en elev har glömt sitt lösenord, och hur inloggningen med skolkonto fungerar.",
        [
            "Elever i årskurs 1–3 loggar in med bildkod. Från årskurs 4 använder eleverna sitt skolkonto.",
            "IT-supporten återställer lösenord efter att mentorn har bekräftat elevens identitet.",
        ],
    ),
    (
        "plan",
        "Förskolans plan för digitala verktyg och dokumentation",
        "pdf",
        ["forskola"],
        True,
        "Hur förskolan använder lärplattor för pedagogisk dokumentation tillsammans med barnen.",
        [
            "Varje avdelning har två lärplattor som barnen använder tillsammans med pedagogerna.",
            "Dokumentationen visas för vårdnadshavare på lärplattformen och diskuteras på utvecklingssamtalen.",
            "Personuppgifter hanteras enligt huvudmannens rutin; bilder på barn publiceras aldrig öppet.",
        ],
    ),
    (
        "lesson",
        "Källkritik med nyhetsartiklar i årskurs 7",
        "https://www.skolverket.se/",
        ["grundskola"],
        False,
        "Eleverna granskar tre nyhetsartiklar om samma händelse och jämför källorna.",
        [],
    ),
    (
        "other",
        "Skolverkets stöd om digital kompetens",
        "https://www.skolverket.se/skolutveckling/leda-och-organisera-skolan/skolans-digitalisering",
        ["forskola", "grundskola", "gymnasieskola"],
        True,
        "Skolverkets sidor om den nationella digitaliseringsstrategin, med moduler för kompetensutveckling.",
        [],
    ),
]


def build(builder, *, seed=1101):
    """Share the demo's examples in the organiser built by ``builder`` (its org, units, admin,
    framework). Returns the examples."""
    rng = random.Random(seed)
    org = builder.org
    # the organiser's staff, principals and IT educators (contributors) share, with their units
    states = sorted(builder.states, key=lambda st: st.unit.name)
    sharers = [(builder.admin, None)]
    for state in states[:6]:
        sharers.append((state.principal, state.unit))
        sharers += [(educator, state.unit) for educator in state.contributors[:1]]
    indicators = list(builder.framework.indicators.order_by("area__order", "order"))
    made = []
    for n, (kind, title, source, forms, shared, description, text) in enumerate(EXAMPLES):
        upload, url = None, ""
        if source == "pdf":
            upload = SimpleUploadedFile(f"{_file_name(title)}.pdf", pdf_bytes(title=title, paragraphs=text))
        elif source == "docx":
            upload = SimpleUploadedFile(f"{_file_name(title)}.docx", docx_bytes(title=title, paragraphs=text))
        else:
            url = source
        made.append(
            domain.share_example(
                organizer=org,
                by=sharers[n % len(sharers)][0],
                title=title,
                kind=kind,
                description=description,
                url=url,
                upload=upload,
                unit=sharers[n % len(sharers)][1],
                school_forms=schoolforms.to_mask(forms),
                indicators=rng.sample(indicators, k=min(len(indicators), rng.randint(1, 3))),
                shared=shared,
            )
        )
    return made


def delete(*, organizer):
    """Remove the organiser's examples, their files and index entries (before the organiser goes)."""
    for example in Example.objects.filter(organizer=organizer):
        domain.remove_example(example=example, by=None)


def _file_name(title):
    return "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")[:60]
