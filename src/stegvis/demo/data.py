"""The demo organiser's data: districts, units, people and the texts its users write.

Kept apart from ``demo.py`` (which builds the organiser from it) so the generator reads as steps.
"""

import datetime
from dataclasses import dataclass

from stegvis.organisations.models import Role
from stegvis.planning.models import Action

# --- the organisation ------------------------------------------------------------------------

DISTRICTS = ["Norra", "Södra", "Centrum", "Västra"]

F, G, GY, AS, VUX = "forskola", "grundskola", "gymnasieskola", "anpassad_skola", "vuxenutbildning"

# (district, name, school forms, shared-head key): units with the same key share a principal.
UNITS = [
    ("Norra", "Ekbackens förskola", [F], None),
    ("Norra", "Solrosens förskola", [F], "norra-fsk"),
    ("Norra", "Tallbackens förskola", [F], "norra-fsk"),
    ("Norra", "Nyängens förskola", [F], None),
    ("Norra", "Norrängsskolan F-6", [G], None),
    ("Norra", "Björkhagens skola F-9", [G], None),
    ("Norra", "Kvarnbackens skola F-3", [G], None),
    ("Norra", "Lingonbackens förskola och skola", [F, G], None),
    ("Södra", "Lövängens förskola", [F], "sodra-fsk"),
    ("Södra", "Kastanjens förskola", [F], "sodra-fsk"),
    ("Södra", "Tranans förskola", [F], None),
    ("Södra", "Hagaskolan F-6", [G], None),
    ("Södra", "Sjöängens skola F-9", [G], None),
    ("Södra", "Södermalmsskolan 7-9", [G], None),
    ("Södra", "Ängsbacka förskola och skola", [F, G], None),
    ("Södra", "Kompassens anpassade skola", [AS], None),
    ("Centrum", "Centralskolan F-6", [G], None),
    ("Centrum", "Centralskolan 7-9", [G], None),
    ("Centrum", "Kyrkbackens skola F-3", [G], None),
    ("Centrum", "Stadsparkens förskola", [F], "centrum-fsk"),
    ("Centrum", "Torgets förskola", [F], "centrum-fsk"),
    ("Centrum", "Rosendals förskola", [F], None),
    ("Centrum", "Mittköpings gymnasium", [GY], None),
    ("Centrum", "Lärcentrum Komvux", [VUX], None),
    ("Västra", "Västerskolan F-9", [G], None),
    ("Västra", "Åsens skola 4-9", [G], None),
    ("Västra", "Bergsjöns skola F-6", [G], None),
    ("Västra", "Skogsbrynets förskola och skola", [F, G], None),
    ("Västra", "Hagtornets förskola", [F], "vastra-fsk-1"),
    ("Västra", "Granbackens förskola", [F], "vastra-fsk-1"),
    ("Västra", "Vitsippans förskola", [F], None),
    ("Västra", "Ugglans förskola", [F], "vastra-fsk-2"),
    ("Västra", "Lillskogens förskola", [F], "vastra-fsk-2"),
    ("Västra", "Västra gymnasiet", [GY], None),
]

# Fixed people, so the logins in the README stay the same: (e-mail, first, last, role, district)
FIXED_PEOPLE = [
    ("admin@mittkoping.se", "Karin", "Lindqvist", Role.ADMIN, None),
    ("namnd@mittkoping.se", "Per", "Holmberg", Role.VIEWER, None),
    ("omrade.norra@mittkoping.se", "Maria", "Sjöberg", Role.DISTRICT_LEAD, "Norra"),
    ("omrade.sodra@mittkoping.se", "Johan", "Nyström", Role.DISTRICT_LEAD, "Södra"),
    ("omrade.centrum@mittkoping.se", "Annika", "Forsberg", Role.DISTRICT_LEAD, "Centrum"),
    ("omrade.vastra@mittkoping.se", "Mikael", "Åberg", Role.DISTRICT_LEAD, "Västra"),
]

# IT educators (IKT-pedagoger), each a contributor of the units listed.
IT_EDUCATORS = [
    ["Centralskolan F-6", "Centralskolan 7-9"],
    ["Mittköpings gymnasium", "Lärcentrum Komvux"],
    ["Västerskolan F-9", "Åsens skola 4-9"],
    ["Björkhagens skola F-9", "Norrängsskolan F-6"],
    ["Sjöängens skola F-9", "Hagaskolan F-6", "Södermalmsskolan 7-9"],
    ["Ekbackens förskola", "Lingonbackens förskola och skola"],
    ["Västra gymnasiet"],
]

FIRST_NAMES = [
    "Anna",
    "Eva",
    "Maria",
    "Sara",
    "Lena",
    "Kerstin",
    "Emma",
    "Ingrid",
    "Malin",
    "Johanna",
    "Sofia",
    "Linnea",
    "Helena",
    "Camilla",
    "Åsa",
    "Ulrika",
    "Jenny",
    "Frida",
    "Elin",
    "Petra",
    "Therese",
    "Hanna",
    "Lars",
    "Anders",
    "Erik",
    "Karl",
    "Peter",
    "Thomas",
    "Jonas",
    "Magnus",
    "Fredrik",
    "Daniel",
    "Mattias",
    "Henrik",
    "Niklas",
    "Björn",
    "Ola",
    "Stefan",
    "Andreas",
    "Amira",
    "Leila",
    "Nadia",
    "Dragan",
    "Mirja",
    "Sanna",
    "Göran",
    "Marie",
    "Louise",
    "Jesper",
    "Elif",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Lindström",
    "Olofsson",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lundgren",
    "Lundqvist",
    "Mattsson",
    "Berglund",
    "Fredriksson",
    "Sandberg",
    "Henriksson",
    "Ekström",
    "Wallin",
    "Engström",
    "Danielsson",
    "Håkansson",
    "Hassan",
    "Yilmaz",
    "Nordin",
    "Björk",
    "Hedlund",
    "Sundberg",
    "Öberg",
    "Strand",
    "Falk",
    "Lind",
    "Söderberg",
]

# --- texts -------------------------------------------------------------------------------------

ANSWER_COMMENTS = [
    "Vi har kommit igång, men det skiljer sig mycket mellan arbetslagen.",
    "Diskuterat i ledningsgruppen; vi är överens om nivån.",
    "Stort fokus förra läsåret och det syns nu i vardagen.",
    "Här behöver vi stöd från förvaltningen.",
    "Bedömningen bygger på enkäten till personalen i september.",
    "Fungerar bra i de äldre åldrarna, sämre i de yngre.",
    "Nya kollegor behöver introduktion, annars tappar vi det vi byggt upp.",
    "Rutinen finns men följs inte alltid upp.",
]
NOT_RELEVANT_COMMENTS = [
    "Inte aktuellt för vår verksamhet i år.",
    "Hanteras centralt av förvaltningen, inte av enheten.",
    "Gäller inte vår målgrupp.",
]
VERSION_2_COMMENTS = [
    "Justerat efter dialog med arbetslagen.",
    "Ändrat efter genomgång med IKT-pedagogen.",
    "Omvärderat efter medarbetarenkäten.",
]
OWN_ACTIONS = [
    (
        "Inventera digitala verktyg och licenser",
        "Gå igenom vilka appar och tjänster som används och vilka som har personuppgiftsbiträdesavtal.",
    ),
    (
        "Studiedag om AI i undervisningen",
        "Halvdag med föreläsning och workshop i arbetslagen om generativ AI, källkritik och bedömning.",
    ),
    (
        "Rutin för nya elevers inloggningar",
        "Ta fram en checklista så att nya elever har fungerande konton första skoldagen.",
    ),
    (
        "Gemensam struktur i lärplattformen",
        "Kom överens om hur kursrum, uppgifter och information till vårdnadshavare ska se ut.",
    ),
    (
        "Kollegialt lärande om digitala bedömningsstöd",
        "Fyra träffar under läsåret där lärare visar hur de använder digitala verktyg för återkoppling.",
    ),
    (
        "Föräldramöte om skärmvanor och digital säkerhet",
        "Informationskväll för vårdnadshavare tillsammans med elevhälsan.",
    ),
]
OWN_ACTIONS_PRESCHOOL = [
    (
        "Pedagogisk dokumentation med lärplatta",
        "Varje avdelning provar ett gemensamt sätt att dokumentera barnens lärande digitalt.",
    ),
    (
        "Programmering med Blue-Bot på avdelningarna",
        "Låna in robotar från förvaltningen och testa med de äldre barnen under våren.",
    ),
    ("Inventera lärplattor och appar", "Se över vilka lärplattor som behöver bytas och vilka appar som används."),
    (
        "Workshop om digitalt skapande",
        "Kvällsworkshop för förskollärare och barnskötare om film, ljud och greenscreen.",
    ),
]
NOTES_STARTED = [
    "Uppstart på APT, alla arbetslag är informerade.",
    "IKT-pedagogen har haft första träffen med arbetslagen.",
    "Planeringen klar, genomförs i arbetslagen under terminen.",
    "Avstämt med förvaltningens IT-enhet om licenser och inloggningar.",
    "Halva arbetslagen har kommit igång, resten startar efter lovet.",
]
NOTES_DONE = [
    "Genomfört. Utvärderat i ledningsgruppen, blir en stående rutin.",
    "Klart. Alla arbetslag har genomfört momentet och dokumenterat i lärplattformen.",
    "Genomfört med gott resultat, följs upp i medarbetarenkäten.",
    "Klart enligt plan. Nästa steg tas upp i nästa års handlingsplan.",
]
NOTES_DROPPED = [
    "Prioriteras bort i år på grund av personalbrist.",
    "Utgår: förvaltningen gör en gemensam satsning på samma sak.",
    "Pausas tills de nya lärplattorna är levererade.",
]
NOTES_DELAYED = [
    "Försenat på grund av sjukskrivningar, ny plan efter jullovet.",
    "Tar längre tid än beräknat; vi flyttar slutdatum.",
]
OWNERS = [
    "Ledningsgruppen",
    "Biträdande rektor",
    "Förstelärare digitalisering",
    "Arbetslag F-3",
    "Arbetslag 4-6",
    "Arbetslag 7-9",
]
OWNERS_PRESCHOOL = ["Ledningsgruppen", "Förskollärare i utvecklingsgruppen", "Avdelning Blåsippan", "Avdelning Ekorren"]
OWNERS_UPPER = ["Ledningsgruppen", "Biträdande rektor", "Förstelärare digitalisering", "Programlag"]


# --- rounds -----------------------------------------------------------------------------------


@dataclass
class RoundPlan:
    name: str
    opens_on: datetime.date
    deadline: datetime.date
    published: float  # share of units that publish
    drafts: int  # units left with a draft
    second_versions: int  # units that publish a version 2
    closes_on: datetime.date | None  # None: stays open
    statuses: dict  # weights for where an action ends up in this round
    pace: float = 1.0  # < 1: things happen faster (the open round has had only a few months)


CLOSED_WEIGHTS = {
    Action.Status.DONE: 40,
    Action.Status.IN_PROGRESS: 25,
    Action.Status.PLANNED: 20,
    Action.Status.DROPPED: 15,
}
OPEN_WEIGHTS = {
    Action.Status.PLANNED: 45,
    Action.Status.IN_PROGRESS: 38,
    Action.Status.DONE: 10,
    Action.Status.DROPPED: 7,
}


def round_plans(today):
    return [
        RoundPlan(
            "Läsår 2024/25",
            datetime.date(2024, 8, 19),
            datetime.date(2024, 11, 29),
            0.82,
            2,
            2,
            datetime.date(2025, 6, 19),
            CLOSED_WEIGHTS,
        ),
        RoundPlan(
            "Läsår 2025/26",
            datetime.date(2025, 8, 18),
            datetime.date(2025, 11, 28),
            0.9,
            1,
            2,
            datetime.date(2026, 6, 18),
            CLOSED_WEIGHTS,
        ),
        RoundPlan(
            "Läsår 2026/27",
            datetime.date(2026, 8, 17),
            today + datetime.timedelta(weeks=5),
            0.5,
            9,
            0,
            None,
            OPEN_WEIGHTS,
            pace=0.45,
        ),
    ]
