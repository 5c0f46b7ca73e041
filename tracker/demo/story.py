"""The demo's half year: what happened to each assignment and group, day by day.

Days count from the day the demo is loaded: -30 is a month ago, 10 is ten days ahead.
The story follows the work's logic: mapping before process owners, a role description
before training, a group recruited before its assignment starts.
"""

from __future__ import annotations

from typing import NamedTuple

DOCUMENTS = "G:\\Allmänt\\Handlingsplaner – AMF"
PLANS_ADOPTED = -183  # the leadership group adopted the five plans in early June
DONE = -1  # the last workflow stage, whatever it is called
# ended with their outcome (off the board): the reference group lives on in another
ENDED = {"Starta en referensgrupp med invånare"}


class Story(NamedTuple):
    """One assignment's history: its dates, stage moves, milestones and reports."""

    responsible: str
    starts: int
    ends: int
    moves: tuple[tuple[int, int], ...] = ()  # (day, stage position; DONE = last)
    milestones: tuple[tuple[str, int, int | None], ...] = ()  # title, due, done day
    reports: tuple[tuple[int, str], ...] = ()  # day, what happened
    outcome: tuple[int, str] | None = None  # day, the final report when done
    created: int = PLANS_ADOPTED


class GroupStory(NamedTuple):
    """One working group's history; its members come from calls or invitations."""

    name: str
    mode: str  # open_call, invited
    seats: int
    created: int
    starts: int
    ends: int
    assignments: tuple[str, ...]
    purpose: str
    lead: str | None = None  # appointed by leadership when the group is created
    appointed: tuple[str, ...] = ()  # members leadership seats at the start
    deadline: int | None = None  # open calls: the last day to apply
    applicants: int = 0  # open calls: how many apply from the staff
    selected: int | None = None  # open calls: the day the selection is confirmed
    invited: tuple[str, ...] = ()  # invited groups: who is asked, for what
    citizens: int | None = None  # the day the citizens join (a reference group)
    leaves: tuple[tuple[int, str], ...] = ()  # (day, who leaves)
    closed: int | None = None


# fmt: off
STORIES: dict[str, Story] = {
    "Kartlägga kärnprocesserna": Story(
        "Johanna Ek", -175, -60, ((-170, 1), (-64, DONE)),
        (("Workshopserie med alla verksamhetsdelar", -120, -118),
         ("Processkarta version 1", -90, -83),
         ("Processkartan fastställd i ledningsgruppen", -65, -64)),
        ((-150, "Första workshoppen hölls med 22 medarbetare från sex enheter. Vi "
                "ritade flödet från första kontakt till avslut för unga vuxna."),
         (-125, "Fyra av fem workshoppar klara. Överlämningen mellan Ekonomiskt "
                "bistånd och Arbetsmarknadsenheten sticker ut: samma uppgifter "
                "samlas in tre gånger."),
         (-100, "Utkastet till processkarta har fem kärnprocesser. Vi stämmer av "
                "det med enhetscheferna innan sommaren är slut."),
         (-80, "Processkarta version 1 skickad på remiss, en vecka senare än "
               "planerat. Remissvaren kom från alla verksamhetsdelar."),
         (-66, "Remissvaren är inarbetade. Kartan går till ledningsgruppen på "
               "tisdag för beslut.")),
        (-62, "Fem kärnprocesser är kartlagda och fastställda. Kartan ligger i "
              "dokumentmappen och används i uppdraget om processägare."),
    ),
    "Utse processägare": Story(
        "Daniel Rosén", -70, 40, ((-60, 1),),
        (("Uppdragsbeskrivning för processägare", -35, -38),
         ("Processägare utsedda för alla fem kärnprocesser", 25, None)),
        ((-55, "Vi har läst hur tre andra kommuner har gjort och skrivit ett första "
               "utkast till uppdragsbeskrivning."),
         (-33, "Uppdragsbeskrivningen är klar. Mandatet över enhetsgränserna var "
               "den svåraste frågan; ledningsgruppen fick avgöra den."),
         (-12, "Tre av fem processägare har tackat ja. Två samtal återstår.")),
        created=-70,
    ),
    "Införa multiteam": Story(
        "Hassan Jama", 20, 200, (),
        (("Multiteamsgruppen bemannad", 18, None),
         ("Två multiteam startade", 90, None),
         ("Utvärdering efter första terminen", 190, None)),
        created=-22,
    ),
    "Gemensamma mått för processerna": Story(
        "Nadia Osman", -100, 60, ((-95, 1),),
        (("Förslag på mått till ledningsgruppen", -12, None),
         ("Första mätningen", 45, None)),
        ((-80, "Vi har samlat 40 mått som används i dag. De flesta mäter volymer, "
               "nästan inga mäter vad invånaren får ut."),
         (-50, "Listan är nere i tolv kandidater. Vi provar dem på förra årets "
               "siffror för att se om de går att ta fram."),
         (-20, "Två av måtten kräver uppgifter som verksamhetssystemet inte "
               "sparar. Förslaget till ledningsgruppen blir försenat.")),
        created=-100,
    ),
    "Utbilda chefer i processledning": Story(
        "Peter Wallin", -30, 130, ((-14, 1),),
        (("Utbildare upphandlad", -5, -7),
         ("Första utbildningstillfället", 20, None),
         ("Sista utbildningstillfället", 120, None)),
        ((-6, "Avtal med utbildaren är klart. Alla 18 chefer har fått kallelse "
              "till fyra halvdagar under våren."),),
        created=-30,
    ),
    "Starta en referensgrupp med invånare": Story(
        "Samira Haddad", -160, -70, ((-155, 1), (-75, DONE)),
        (("Rekryteringsunderlag och samtyckesblankett", -140, -141),
         ("Första träffen med referensgruppen", -100, -97)),
        ((-145, "Samtyckesblanketten är granskad av juristen. Vi frågar invånare "
                "via coacherna och Vuxenutbildningen."),
         (-120, "Elva invånare har visat intresse. Vi har ringt alla och berättat "
                "vad det innebär."),
         (-98, "Första träffen: fyra invånare och tre medarbetare. Vi pratade om "
               "hur det är att söka stöd för första gången."),
         (-76, "Referensgruppen träffas nu varannan vecka och har egna "
               "arbetsformer. Uppdraget kan avslutas.")),
        (-72, "Referensgruppen är igång med fyra invånare och träffas varannan "
              "vecka. Den fortsätter i uppdraget om kundresor."),
    ),
    "Kundresor för tre målgrupper": Story(
        "Tove Björk", -95, 50, ((-90, 1),),
        (("Kundresa unga vuxna", -40, -44),
         ("Kundresa nyanlända", -10, -3),
         ("Kundresa långtidsarbetslösa", 35, None)),
        ((-70, "Tolv intervjuer med unga vuxna är gjorda. Det som skaver mest är "
               "väntan mellan första besöket och första insatsen."),
         (-45, "Kundresan för unga vuxna är ritad och granskad av "
               "referensgruppen, som ändrade tre steg."),
         (-20, "Intervjuerna med nyanlända tar längre tid än väntat eftersom vi "
               "behöver tolk i nästan alla."),
         (-4, "Kundresan för nyanlända är klar, en vecka sent. Nu återstår "
              "långtidsarbetslösa.")),
        created=-95,
    ),
    "Klarspråk i alla beslut och brev": Story(
        "Tove Björk", -150, -9, ((-145, 1),),
        (("Inventering av mallar", -120, -122),
         ("De tio mest använda mallarna omskrivna", -60, -52),
         ("Mallarna för ekonomiskt bistånd omskrivna", -20, -19),
         ("Alla mallar omskrivna", -9, None)),
        ((-130, "Vi har hittat 64 mallar för beslut och brev. Tio av dem står för "
                "nästan 80 procent av utskicken."),
         (-95, "Språkkonsulten har läst de första mallarna. Meningarna blev i "
               "snitt hälften så långa."),
         (-55, "De tio vanligaste mallarna är omskrivna och testade på "
               "referensgruppen."),
         (-25, "Juristerna vill granska varje beslutsmall. Det tar längre tid än vi "
               "räknade med."),
         (-8, "Slutdatumet håller inte. 41 av 64 mallar är klara; vi ber "
              "ledningsgruppen om fyra veckor till.")),
    ),
    "Återkoppling efter varje insats": Story(
        "Leila Rahimi", -120, -30, ((-115, 1), (-35, DONE)),
        (("Enkäten testad med tio invånare", -90, -91),
         ("Enkäten i drift", -40, -36)),
        ((-100, "Enkäten har fem frågor och går att svara på med mobilen. Den "
                "finns på svenska, arabiska, somaliska och engelska."),
         (-60, "Testet visade att frågan om bemötande missförstods. Den är "
               "omskriven."),
         (-37, "Enkäten skickas nu automatiskt när en insats avslutas. De första "
               "80 svaren har kommit in.")),
        (-33, "Enkäten är i drift i alla enheter; resultaten går till "
              "verksamheten varje månad."),
        created=-120,
    ),
    "Gemensam ingång": Story(
        "Ulrika Lindqvist", 30, 240, (),
        (("Gruppen utsedd", 12, None),
         ("Förslag på hur ingången organiseras", 100, None)),
        created=-17,
    ),
    "Kartlägga överlämningar": Story(
        "Helena Strand", -140, 11, ((-135, 1),),
        (("Intervjuer med handläggare i alla enheter", -90, -92),
         ("Utkast till sammanställning", -18, -16),
         ("Sammanställning av överlämningarna", 10, None)),
        ((-120, "Vi har valt ut 30 ärenden och följt dem bakåt. I snitt lämnades "
                "varje ärende över fyra gånger."),
         (-85, "Alla intervjuer är gjorda. Det som oftast går förlorat är vad "
               "invånaren redan har berättat om sin situation."),
         (-50, "Första utkastet till sammanställning är skickat till "
               "enhetscheferna."),
         (-22, "Synpunkterna från cheferna är inarbetade. Sammanställningen blir "
               "klar i tid."),
         (-5, "Sista kapitlet, om överlämningar till Vuxenutbildningen, skrivs "
              "den här veckan.")),
    ),
    "Gemensam planeringsmall": Story(
        "Leila Rahimi", -60, 90, ((-40, 1),),
        (("Första utkast till mall", 15, None), ("Test i två enheter", 60, None)),
        ((-30, "Vi utgår från kartläggningen av överlämningar. Mallen får fem "
               "delar som alla enheter skriver i."),
         (-10, "Utkastet är visat för två handläggargrupper. De vill ha färre "
               "fritextfält.")),
        created=-60,
    ),
    "Rutin för samtycke och informationsdelning": Story(
        "Jonas Falk", -150, -50, ((-145, 1), (-56, DONE)),
        (("Juridisk analys", -110, -112), ("Rutinen beslutad", -60, -57)),
        ((-130, "Offentlighets- och sekretesslagen tillåter mer än vi trott, men "
                "bara med invånarens samtycke i de flesta fall."),
         (-100, "Den juridiska analysen är klar och granskad av kommunens "
                "jurist."),
         (-70, "Rutinen och samtyckesblanketten är testade i två enheter."),
         (-58, "Ledningsgruppen beslutar om rutinen nästa vecka.")),
        (-55, "Rutinen för samtycke och informationsdelning gäller i hela "
              "förvaltningen från 1 oktober."),
    ),
    "Samlokalisera handläggare och coacher": Story(
        "Peter Wallin", -100, 80, ((-80, 1),),
        (("Lokalerna klara", -75, -76), ("Halvtidsavstämning", 10, None)),
        ((-78, "Två team sitter nu tillsammans på Storgatan: handläggare från "
               "Ekonomiskt bistånd och coacher från Arbetsmarknadsenheten."),
         (-41, "Teamen har gemensamma ärendegenomgångar varje tisdag. Första "
               "intrycket är att invånarna får svar snabbare.")),
        created=-100,
    ),
    "Uppföljning av delad planering": Story(
        "Nadia Osman", 60, 240, (),
        (("Uppföljningsplan", 70, None),),
        created=-30,
    ),
    "Rollbeskrivning för huvudhandläggare": Story(
        "Daniel Rosén", -165, -90, ((-160, 1), (-95, DONE)),
        (("Utkast till rollbeskrivning", -130, -133),
         ("Rollbeskrivningen fastställd", -95, -96)),
        ((-150, "Vi har intervjuat handläggare i alla enheter om vad som gör att "
                "ett ärende hålls ihop."),
         (-120, "Utkastet är klart. Huvudhandläggaren håller ihop planen men tar "
                "inte över andras beslut."),
         (-97, "Fackliga synpunkter är inarbetade. Rollbeskrivningen går till "
               "beslut.")),
        (-93, "Rollbeskrivningen är fastställd och ligger till grund för "
              "utbildningen och piloten."),
    ),
    "Val av huvudhandläggare": Story(
        "Daniel Rosén", -100, 30, ((-100, 1),),
        (("Kriterier för val", -60, -61),
         ("Kriterierna prövade på tio ärenden", -22, -21),
         ("Arbetssätt beslutat i ledningsgruppen", 20, None)),
        ((-85, "Gruppen har träffats två gånger. Vi prövar kriterierna på tio "
               "verkliga ärenden."),
         (-62, "Kriterierna är klara: den enhet som har mest kontakt med "
               "invånaren utser huvudhandläggaren."),
         (-35, "Vi skriver hur valet går till när invånaren byter enhet."),
         (-14, "Förslaget till arbetssätt är klart för ledningsgruppen.")),
    ),
    "Pilot i Ungdomsenheten": Story(
        "Leila Rahimi", -45, 150, ((-40, 1),),
        (("50 unga vuxna har fått huvudhandläggare", 30, None),
         ("Halvtidsrapport", 75, None)),
        ((-30, "Åtta handläggare i Ungdomsenheten är huvudhandläggare sedan "
               "måndag. 19 unga vuxna har fått en."),
         (-9, "Nu har 34 unga vuxna en huvudhandläggare. Ingen har bett att få "
              "byta.")),
        created=-45,
    ),
    "Kompetensutveckling för huvudhandläggare": Story(
        "Samira Haddad", -85, 45, ((-80, 1),),
        (("Utbildningsplan", -70, -71),
         ("Tre av fem utbildningsdagar", -5, -6),
         ("Sista utbildningsdagen", 40, None)),
        ((-68, "Utbildningsplanen bygger på rollbeskrivningen: samordning, "
               "motiverande samtal och juridik."),
         (-40, "Första utbildningsdagen: 26 deltagare. Juridikpasset fick bäst "
               "betyg."),
         (-6, "Tre av fem dagar är genomförda. Deltagarna vill ha mer om "
              "samtycke, så vi lägger till ett pass.")),
        created=-85,
    ),
    "Utvärdera piloten": Story(
        "Magnus Ekström", 60, 200, (),
        (("Utvärderingsdesign", 45, None), ("Slutrapport", 190, None)),
        created=-40,
    ),
    "Samla befintliga data": Story(
        "Magnus Ekström", -130, -45, ((-125, 1), (-48, DONE)),
        (("Inventering av verksamhetssystemen", -100, -99),
         ("Datakatalog", -50, -49)),
        ((-110, "Fyra verksamhetssystem har uppgifter om målgrupperna. Bara två "
                "kan ta ut data utan handpåläggning."),
         (-80, "Inventeringen är klar. Statistiken från Ekonomiskt bistånd går "
               "tio år bakåt, de andra tre år."),
         (-50, "Datakatalogen beskriver 120 variabler och vem som äger dem.")),
        (-46, "Datakatalogen är klar och används av uppdraget om "
              "målgruppsbeskrivningar."),
    ),
    "Intervjustudie med invånare": Story(
        "Nadia Osman", -80, 70, ((-70, 1),),
        (("Intervjuguide", -60, -63),
         ("15 av 30 intervjuer", -15, -18),
         ("30 intervjuer", 40, None)),
        ((-55, "Intervjuguiden är testad på två invånare ur referensgruppen."),
         (-30, "Elva intervjuer klara. Flera berättar att de inte vet vem de ska "
               "ringa."),
         (-16, "Halvvägs: 15 intervjuer. Vi har bokat resten till januari."),
         (-2, "Tre intervjuer till den här veckan; en fick ställas in.")),
        created=-80,
    ),
    "Målgruppsbeskrivningar": Story(
        "Magnus Ekström", -50, 100, ((-40, 1),),
        (("Första målgruppsbeskrivningen", 20, None),),
        ((-35, "Vi utgår från datakatalogen och delar in invånarna i sex "
               "målgrupper efter behov, inte efter enhet."),
         (-11, "Beskrivningen av unga vuxna utan gymnasieexamen är nästan klar.")),
        created=-50,
    ),
    "Behovsanalys för arbetsmarknadsinsatser": Story(
        "Helena Strand", 40, 180, (),
        (("Insatskatalog sammanställd", 60, None),),
    ),
    "Årlig analysrapport": Story(
        "Magnus Ekström", 100, 260, (), (("Disposition klar", 120, None),),
    ),
}

GROUPS: list[GroupStory] = [
    GroupStory(
        "Utvecklingsgruppen", "open_call", 8, -180, -160, 200,
        ("Kartlägga kärnprocesserna", "Utse processägare",
         "Gemensamma mått för processerna"),
        "Driver omställningen till processorganisation och håller ihop "
        "handlingsplanerna.",
        lead="Johanna Ek", appointed=("medarbetare@demo.se",),  # the secretary
        deadline=-168, applicants=16, selected=-165,
        leaves=((-60, "applicant:2"),),
    ),
    GroupStory(
        "Samtyckesgruppen", "invited", 4, -150, -147, -50,
        ("Rutin för samtycke och informationsdelning",),
        "Tar fram en juridiskt hållbar rutin för att dela information mellan "
        "enheterna. Inbjudna för sin kunskap i juridik och myndighetsutövning.",
        lead="Jonas Falk",
        invited=("Juridik", "Myndighetsutövning", "Juridik"),
        closed=-50,
    ),
    GroupStory(
        "Referensgrupp invånare", "invited", 8, -150, -100, 180,
        ("Starta en referensgrupp med invånare", "Kundresor för tre målgrupper"),
        "Invånare med egen erfarenhet av förvaltningens stöd ger råd om "
        "tjänsterna.",
        lead="Samira Haddad",
        invited=("medarbetare@demo.se", "Coachning", "Socialt arbete"),
        citizens=-100,
    ),
    GroupStory(
        "Behovsanalysgruppen", "invited", 5, -128, -124, 120,
        ("Samla befintliga data", "Målgruppsbeskrivningar"),
        "Inbjudna för särskild kompetens i analys och statistik.",
        lead="Magnus Ekström",
        invited=("Dataanalys", "Dataanalys", "Kvalitetsarbete", "Digitalisering"),
        leaves=((-20, "invited:1"),),
    ),
    GroupStory(
        "Val av huvudhandläggare", "open_call", 6, -125, -104, 60,
        ("Val av huvudhandläggare", "Kompetensutveckling för huvudhandläggare"),
        "Tar fram kriterier för hur huvudhandläggare utses.",
        lead="Daniel Rosén", deadline=-108, applicants=14, selected=-105,
    ),
    GroupStory(
        "Gemensam ingång", "open_call", 8, -16, 30, 240,
        ("Gemensam ingång",),
        "Formar förvaltningens gemensamma ingång för invånare: en plats, ett "
        "telefonnummer och en första bedömning.",
        deadline=6, applicants=11,
    ),
    GroupStory(
        "Utvärderingsgruppen", "open_call", 8, -35, 14, 200,
        ("Utvärdera piloten",),
        "Utvärderar piloten med huvudhandläggare: väntetider, nöjdhet och "
        "resultat. Vi söker bredd i erfarenhet och verksamhetsdel.",
        deadline=-4, applicants=24,
    ),
    GroupStory(
        "Multiteamsgruppen", "open_call", 8, -22, 20, 200,
        ("Införa multiteam",),
        "Utformar hur multiteam ska arbeta runt invånaren. Vi söker så stor bredd "
        "som möjligt i kompetens, erfarenhet och verksamhetsdel.",
        deadline=10, applicants=25,
    ),
]
# fmt: on

MOTIVATIONS = [
    "Jag möter invånare som slussas mellan enheter och vill vara med och ändra det.",
    "Jag har arbetat i två av enheterna och ser var överlämningarna brister.",
    "Jag vill bidra med erfarenhet av {dept} och lära mig hur de andra arbetar.",
    "Processarbete intresserar mig och jag har tid att lägga på gruppen i vår.",
    "Jag har varit med i ett liknande arbete i en annan kommun.",
    "Från {dept} har vi mycket att tillföra om hur invånare tar sig vidare.",
]

# an invitation the staff login has not answered yet: a seat freed in November
WAITING_INVITATION = ("Behovsanalysgruppen", "medarbetare@demo.se", -3)
