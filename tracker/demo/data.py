"""The demo programme: the five real action plans and 25 assignments, in Swedish."""

from __future__ import annotations

DEPARTMENTS = [
    "Arbetsmarknadsenheten",
    "Ekonomiskt bistånd",
    "Etableringsenheten",
    "Vuxenutbildningen",
    "Ungdomsenheten",
    "Administrativa enheten",
    "Kommunikationsenheten",
    "Daglig verksamhet",
]

COMPETENCES = [
    "Processutveckling",
    "Coachning",
    "Studie- och yrkesvägledning",
    "Juridik",
    "Dataanalys",
    "Kommunikation",
    "Projektledning",
    "Myndighetsutövning",
    "Digitalisering",
    "Språkstöd",
    "Kvalitetsarbete",
    "Socialt arbete",
]

FIRST_NAMES = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Anders",
    "Sara",
    "Johan",
    "Emma",
    "Per",
    "Fatima",
    "Ali",
    "Lena",
    "Mikael",
    "Eva",
    "Ahmed",
    "Sofia",
    "Nils",
    "Ingrid",
    "Omar",
    "Elin",
    "Karl",
    "Hanna",
    "Björn",
    "Amina",
    "Olof",
    "Maja",
    "Yusuf",
    "Linnea",
    "Gustav",
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
    "Hassan",
    "Lindberg",
    "Holm",
    "Ali",
    "Berg",
    "Mohammed",
    "Axelsson",
    "Lund",
    "Sandberg",
    "Öberg",
]

PLANS = [
    (
        "Bli en processorganisation",
        "Förvaltningen ska arbeta i sammanhållna processer med invånaren i fokus, "
        "i stället för i separata enheter.\n\n**Mål:** en gemensam processkarta och "
        "processägare för kärnprocesserna under året.",
        [
            (
                "Kartlägga kärnprocesserna",
                "Beskriv dagens flöden från första kontakt till "
                "avslut, med medarbetare från alla verksamhetsdelar.",
            ),
            (
                "Utse processägare",
                "Ta fram uppdragsbeskrivning och utse processägare för "
                "varje kärnprocess.",
            ),
            (
                "Införa multiteam",
                "Starta multiteam där kompetenser från flera enheter "
                "arbetar runt samma invånare.",
            ),
            (
                "Gemensamma mått för processerna",
                "Ta fram några få mått som visar om "
                "processerna blir bättre för invånaren.",
            ),
            (
                "Utbilda chefer i processledning",
                "En utbildningsserie för alla chefer om att leda i och över processer.",
            ),
        ],
    ),
    (
        "Invånaren som medskapare",
        "Invånare ska vara med och forma de tjänster som rör dem.",
        [
            (
                "Starta en referensgrupp med invånare",
                "Rekrytera invånare med egen "
                "erfarenhet av förvaltningens stöd till en referensgrupp.",
            ),
            (
                "Kundresor för tre målgrupper",
                "Intervjua invånare och rita kundresor för "
                "unga vuxna, nyanlända och långtidsarbetslösa.",
            ),
            (
                "Klarspråk i alla beslut och brev",
                "Skriv om mallar för beslut och brev så "
                "att de går att förstå vid första läsningen.",
            ),
            (
                "Återkoppling efter varje insats",
                "En enkel enkät efter avslutad insats, "
                "med resultat som varje månad når verksamheten.",
            ),
            (
                "Gemensam ingång",
                "En väg in för invånaren: en plats, ett telefonnummer och "
                "en första bedömning.",
            ),
        ],
    ),
    (
        "Dela myndighet och planering",
        "Myndighetsutövning och planering av insatser ska hänga ihop utan att "
        "invånaren behöver berätta sin historia flera gånger.",
        [
            (
                "Kartlägga överlämningar",
                "Hitta var ärenden lämnas över mellan enheter och "
                "vad som går förlorat.",
            ),
            (
                "Gemensam planeringsmall",
                "En plan för invånaren som alla enheter skriver i.",
            ),
            (
                "Rutin för samtycke och informationsdelning",
                "Juridiskt hållbar rutin för att dela information mellan enheterna.",
            ),
            (
                "Samlokalisera handläggare och coacher",
                "Pröva att sitta tillsammans i två team under en termin.",
            ),
            (
                "Uppföljning av delad planering",
                "Följ upp om den delade planeringen kortar tiden till insats.",
            ),
        ],
    ),
    (
        "Införa huvudhandläggare",
        "Varje invånare ska ha en huvudhandläggare som håller ihop ärendet.",
        [
            (
                "Rollbeskrivning för huvudhandläggare",
                "Vad gör en huvudhandläggare, och vad gör den inte?",
            ),
            (
                "Val av huvudhandläggare",
                "Kriterier och arbetssätt för hur huvudhandläggare "
                "utses för varje ärende.",
            ),
            (
                "Pilot i Ungdomsenheten",
                "Pröva huvudhandläggarmodellen med 50 unga vuxna.",
            ),
            (
                "Kompetensutveckling för huvudhandläggare",
                "Utbildning i samordning, motiverande samtal och juridik.",
            ),
            (
                "Utvärdera piloten",
                "Jämför väntetider, nöjdhet och resultat med och utan "
                "huvudhandläggare.",
            ),
        ],
    ),
    (
        "Skapa en kvalitativ behovs- och målgruppsanalys",
        "Beslut om insatser ska bygga på kunskap om invånarnas behov.",
        [
            (
                "Samla befintliga data",
                "Inventera vilka data om målgrupperna som redan "
                "finns i verksamhetssystemen.",
            ),
            (
                "Intervjustudie med invånare",
                "Trettio intervjuer med invånare i olika livssituationer.",
            ),
            (
                "Målgruppsbeskrivningar",
                "Beskriv förvaltningens målgrupper och deras behov.",
            ),
            (
                "Behovsanalys för arbetsmarknadsinsatser",
                "Matcha insatsutbudet mot målgruppernas behov.",
            ),
            ("Årlig analysrapport", "En återkommande rapport till nämnden."),
        ],
    ),
]
