"""Small word lists behind the rule-based who's-who, quote speakers and roles.

Data only, no logic: a rule-based tagger needs to know that "Ukraine" is a place, that a name ending in
"Ministry" is an organisation and that "Mr" or "adviser" announce a person. The lists are general (any
news topic), deliberately small, and never downloaded at run time.
"""

from __future__ import annotations

from summarizer.analyzer import wordset


def _lines(text: str) -> frozenset[str]:
    """One entry per line (entries may contain spaces)."""
    return frozenset(line.strip() for line in text.strip().splitlines() if line.strip())


COUNTRIES = _lines(
    """
    Afghanistan
    Albania
    Algeria
    Andorra
    Angola
    Argentina
    Armenia
    Australia
    Austria
    Azerbaijan
    Bahrain
    Bangladesh
    Belarus
    Belgium
    Bolivia
    Bosnia
    Brazil
    Bulgaria
    Cambodia
    Cameroon
    Canada
    Chad
    Chile
    China
    Colombia
    Congo
    Croatia
    Cuba
    Cyprus
    Czech Republic
    Czechia
    Denmark
    Ecuador
    Egypt
    Eritrea
    Estonia
    Ethiopia
    Finland
    France
    Georgia
    Germany
    Ghana
    Greece
    Guatemala
    Haiti
    Honduras
    Hungary
    Iceland
    India
    Indonesia
    Iran
    Iraq
    Ireland
    Israel
    Italy
    Jamaica
    Japan
    Jordan
    Kazakhstan
    Kenya
    Kosovo
    Kuwait
    Kyrgyzstan
    Laos
    Latvia
    Lebanon
    Libya
    Lithuania
    Luxembourg
    Malaysia
    Mali
    Malta
    Mexico
    Moldova
    Mongolia
    Montenegro
    Morocco
    Mozambique
    Myanmar
    Nepal
    Netherlands
    New Zealand
    Nicaragua
    Niger
    Nigeria
    North Korea
    North Macedonia
    Norway
    Oman
    Pakistan
    Palestine
    Panama
    Paraguay
    Peru
    Philippines
    Poland
    Portugal
    Qatar
    Romania
    Russia
    Rwanda
    Saudi Arabia
    Senegal
    Serbia
    Singapore
    Slovakia
    Slovenia
    Somalia
    South Africa
    South Korea
    South Sudan
    Spain
    Sri Lanka
    Sudan
    Sweden
    Switzerland
    Syria
    Taiwan
    Tajikistan
    Tanzania
    Thailand
    Tunisia
    Turkey
    Turkmenistan
    Uganda
    Ukraine
    United Arab Emirates
    United Kingdom
    United States
    Uruguay
    Uzbekistan
    Venezuela
    Vietnam
    Yemen
    Zambia
    Zimbabwe
    """
)

CITIES_AND_REGIONS = _lines(
    """
    Afghanistan
    Africa
    Amsterdam
    Ankara
    Arctic
    Asia
    Athens
    Baghdad
    Baltic
    Bangkok
    Beijing
    Beirut
    Berlin
    Brussels
    Budapest
    Cairo
    Caracas
    Chechnya
    Chicago
    Crimea
    Damascus
    Delhi
    Donbas
    Donetsk
    Dubai
    Europe
    Gaza
    Geneva
    Hanoi
    Havana
    Hong Kong
    Indo-Pacific
    Islamabad
    Istanbul
    Jakarta
    Jerusalem
    Kabul
    Kharkiv
    Kherson
    Kyiv
    Kiev
    Latin America
    Lisbon
    London
    Los Angeles
    Luhansk
    Madrid
    Manila
    Mariupol
    Mexico City
    Middle East
    Minsk
    Moscow
    Mumbai
    Nairobi
    New Delhi
    New York
    Odesa
    Odessa
    Ottawa
    Paris
    Pyongyang
    Rome
    Riyadh
    San Francisco
    Seoul
    Shanghai
    Silicon Valley
    Sydney
    Taipei
    Tehran
    Tel Aviv
    Tokyo
    Vienna
    Warsaw
    Washington
    West Bank
    Xinjiang
    """
)

PLACES = COUNTRIES | CITIES_AND_REGIONS

# Other spellings of a place or organisation -> the name shown in the brief.
ALIASES = {
    "US": "United States",
    "U.S": "United States",
    "U.S.": "United States",
    "USA": "United States",
    "U.S.A.": "United States",
    "America": "United States",
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
    "U.K": "United Kingdom",
    "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
    "PRC": "China",
    "People's Republic of China": "China",
    "Washington, DC": "Washington",
    "DC": "Washington",
    "UN": "United Nations",
    "U.N.": "United Nations",
    "U.N": "United Nations",
    "EU": "European Union",
    "E.U.": "European Union",
    "Kremlin": "Kremlin",
}

# Words that make a capitalised phrase an organisation ("Foreign Ministry", "National Security Council").
ORG_WORDS = wordset(
    """Ministry Council Party House Commission Court Department Agency Office Committee Bank Fund Union Nations
    Organization Organisation Institute University Center Centre Foundation Association Federation League Bureau
    Board Authority Parliament Congress Senate Assembly Administration Government Army Navy Force Forces Guard
    Corporation Company Group Times Post Journal News Press Reuters Agency Service Services Academy College School
    Council Cabinet Politburo Pentagon Kremlin Police Church Alliance Coalition Movement Front Embassy Consulate
    Inc Corp Ltd LLC Yard Watch International Presse Agence Network Broadcasting Television Radio Airlines Airways
    Secretariat Mission Tribune Herald Gazette Telegraph Constabulary Gendarmerie Directorate"""
)
# Words that end the name of a document, not of the organisation that wrote it ("UN Security Council Resolution").
DOCUMENT_WORDS = wordset("Resolution Resolutions Report Act Treaty Declaration Charter Accord Protocol Statement")
# First words of publications, places and teams in other languages ("El Mercurio", "Die Welt"); a person's name
# does not start with a definite article (particles inside a name, "Le Pen", "de Boer", follow a first name).
FOREIGN_ARTICLES = wordset("El Los Las Il Die Das Der")
# Organisation heads after which "of", "for", "and", "the" may continue the name ("Center for ... Studies").
ORG_HEADS = wordset(
    """Ministry Council Commission Court Department Agency Office Committee Bank Fund Union Organization
    Organisation Institute University Center Centre Foundation Association Federation League Bureau Board
    Authority Academy College School Republic House Chamber Society Secretary Minister"""
)
# Last words of a place's or an event's name, never of a person's ("O'Higgins Region of Chile").
PLACE_HEADS = wordset(
    """Region Regions Province Prefecture County District Island Islands River Valley Square Street Avenue Ocean
    Sea Mountains Monuments Airport Station Stadium Bridge Games Olympics Cup Day Week"""
)
# Single words that name an organisation on their own.
KNOWN_ORGS = wordset(
    """NATO UN EU WHO IMF OPEC ASEAN FBI CIA NSA KGB FSB Pentagon Kremlin Politburo Congress Reuters Xinhua
    Bloomberg Interpol Hamas Hezbollah Taliban"""
)

# Titles that, written before a name, say it is a person ("President Xi", "Mr Blinken").
PERSON_TITLES = wordset(
    """Mr Mr. Mrs Mrs. Ms Ms. Miss Dr Dr. Sir Dame Lord Lady Prof Prof. Professor President Vice Secretary Minister
    Premier Chancellor Senator Sen Sen. Rep Rep. Representative Governor Gov Gov. Mayor General Gen Gen. Admiral
    Adm Adm. Colonel Col Col. Captain Capt Capt. Lieutenant Lt Lt. Sergeant Ambassador Judge Justice King Queen
    Prince Princess Pope Sheikh Chairman Chairwoman Speaker Commissioner Director Prime Attorney Spokesman
    Spokeswoman Spokesperson Envoy Maj Maj. Brig Brig. Brigadier Sgt Sgt. Cpl Cpl. Corporal Pvt Pvt.
    Cmdr Cmdr. Cdr Cdr. Commander Lieut Lieut. Supt Supt. Superintendent Insp Insp. Inspector Spc Spc. Pfc Pfc."""
)
# Abbreviated titles written out in a role: "Maj. Gen. Geoffrey Miller" is a "Major General".
TITLE_ABBREVIATIONS = {
    "Gen": "General", "Maj": "Major", "Lt": "Lieutenant", "Lieut": "Lieutenant", "Col": "Colonel",
    "Capt": "Captain", "Adm": "Admiral", "Sgt": "Sergeant", "Cpl": "Corporal", "Pvt": "Private",
    "Cmdr": "Commander", "Cdr": "Commander", "Brig": "Brigadier", "Sen": "Senator", "Rep": "Representative",
    "Gov": "Governor", "Prof": "Professor", "Supt": "Superintendent", "Insp": "Inspector",
    "Spc": "Specialist", "Pfc": "Private First Class",
}
HONORIFICS_MALE = wordset("Mr Mr. Sir Lord King Prince")
HONORIFICS_FEMALE = wordset("Mrs Mrs. Ms Ms. Miss Dame Lady Queen Princess")
HONORIFICS = HONORIFICS_MALE | HONORIFICS_FEMALE | wordset("Dr Dr.")
# Capitalised words that may sit inside a title ("Secretary of State", "Commerce Secretary", "Foreign Minister").
TITLE_MODIFIERS = wordset(
    """of State Defense Defence Treasury Commerce Foreign Interior Home Justice Health Trade Finance Energy
    Homeland Security National Press White House Deputy Acting Former Senior Chief Top Assistant Affairs General
    Vice Prime First Supreme Foreign Permanent Executive Under Associate Special Principal High"""
)
NATIONALITIES = wordset(
    """American Chinese Russian Ukrainian British French German Japanese Korean Indian Iranian Israeli Turkish
    Polish Italian Spanish Canadian Australian European Asian African Syrian Iraqi Afghan Saudi Pakistani
    Belarusian Taiwanese Mexican Brazilian Egyptian Palestinian Western Soviet US U.S. UK U.K. EU UN Briton Swiss
    Dutch Swedish Norwegian Danish Finnish Belgian Austrian Irish Scottish Welsh English Greek Portuguese Chilean
    Peruvian Argentine Colombian Venezuelan Cuban Haitian Indonesian Thai Vietnamese Filipino Nigerian Kenyan"""
)

# Lower-case nouns that describe a person's job; used for roles ("national security adviser Jake Sullivan").
ROLE_NOUNS = wordset(
    """president secretary minister adviser advisor spokesman spokeswoman spokesperson ambassador judge director
    chairman chairwoman chair chief leader senator governor mayor general commander fellow analyst professor
    economist correspondent aide envoy diplomat counterpart ceo founder member deputy premier chancellor king
    queen lawmaker representative prosecutor attorney strategist researcher scholar negotiator editor head
    officer executive minister spokesperson candidate president-elect producer expert investigator inspector
    superintendent commissioner lawyer policeman policewoman soldier merchant fisherman doctor nurse teacher
    farmer pilot surgeon physician engineer scientist geologist seismologist coach manager"""
)
# Lower-case words that may precede a role noun inside a role ("national security adviser", "top diplomat").
ROLE_MODIFIERS = wordset(
    """national security press foreign senior deputy vice chief top former assistant defense defence state affairs
    trade commerce finance economic military political policy special white house intelligence associate
    executive acting interim"""
)
# Words written before a title that say when it held: kept in the role ("former U.S. Vice President Al Gore").
TIME_QUALIFIERS = wordset("former ex onetime one-time then outgoing acting interim retired")
# Roles that say nothing alone ("chief", "his counterpart"): a role of one of these words alone is not shown.
VAGUE_ROLES = wordset("chief head member deputy officer executive fellow counterpart leader aide general expert")

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

# Capitalised words that are never a name on their own (sentence starters, pronouns, calendar words).
NOT_NAMES = wordset(
    """The A An This That These Those There Here It Its He She His Her They Their We Our I You My Your But And Or
    So Yet If When While After Before As Since Though Although However Meanwhile Still Also Even In On At For
    From With Without By To Of Into Over Under About Against Between During Until Not No Yes Now Then Today
    Tomorrow Yesterday Last Next Some Many Most Several Both Each Every All Any Other Such What Which Who Why How
    Where Officials Official Administration President Mr Mrs Ms Dr Sir Key Prior Leave Read More Click Updated
    Tags See Most Popular Recent Comments Please Reporting Editing Additional One Two Three Four Five Six Seven
    Eight Nine Ten First Second Third Instead Further Shortly Beginning Asked According Already Despite Under
    Among Around Earlier Later Again Only Just"""
) | {word.capitalize() for word in (*MONTHS, *WEEKDAYS)}  # the calendar's words, from its one table above
