"""Name pools for the synthetic force: England and Wales as the register sees it.

Faker's en_GB lists (weighted as Faker weights them) plus Welsh, Irish, Polish, South Asian and Arabic
names. Many names have transliteration or spelling variants (Mohammed / Muhammad / Mohammad,
Siobhán / Siobhan, Wiśniewska / Wisniewska, Al-Hassan / Alhassan / El Hassan): a person is recorded
under one variant, and a near-duplicate of them may be recorded under another, as happens when a
name is taken down over the phone. Everything here is plain data: importing it needs no database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from faker.providers.person.en_GB import Provider as _GbPerson


@dataclass(frozen=True)
class Origin:
    """One naming tradition: forenames by sex, surnames, and the variants of each name."""

    code: str
    weight: float
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    surname_weights: tuple[float, ...] | None = None
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _weights(values: object) -> tuple[tuple[str, ...], tuple[float, ...] | None]:
    if isinstance(values, dict):
        return tuple(values), tuple(float(w) for w in values.values())
    return tuple(values), None  # type: ignore[arg-type]


_gb_surnames, _gb_weights = _weights(_GbPerson.last_names)

# Variants are symmetrical groups: every member is a spelling of every other.
_VARIANT_GROUPS: tuple[tuple[str, ...], ...] = (
    # Welsh and Irish spellings, accents dropped over the phone
    ("Siân", "Sian", "Shan"),
    ("Siobhán", "Siobhan", "Shivaun"),
    ("Seán", "Sean", "Shaun", "Shawn"),
    ("Niamh", "Neve", "Neave"),
    ("Róisín", "Roisin", "Rosheen"),
    ("Sinéad", "Sinead"),
    ("Ciarán", "Ciaran", "Kieran"),
    ("Oisín", "Oisin", "Osheen"),
    ("Pádraig", "Padraig"),
    ("Aoife", "Eva", "Eefa"),
    ("Caoimhe", "Keeva"),
    ("Rhys", "Reece", "Rees"),
    ("Carys", "Cerys"),
    ("Owain", "Owen"),
    ("O'Brien", "OBrien", "O Brien", "O'Bryan"),
    ("O'Connor", "OConnor", "O'Conner"),
    ("O'Sullivan", "OSullivan"),
    ("O'Neill", "O'Neil", "ONeill"),
    ("McCarthy", "MacCarthy", "Mc Carthy"),
    ("McLaughlin", "MacLochlainn", "McLoughlin"),
    ("Llewellyn", "Llewelyn", "Lewellyn"),
    # Polish: diacritics dropped, gendered surname forms, anglicised forenames
    ("Łukasz", "Lukasz", "Lucas"),
    ("Michał", "Michal", "Michael"),
    ("Wojciech", "Voytek", "Wojtek"),
    ("Małgorzata", "Malgorzata", "Gosia"),
    ("Wiśniewska", "Wisniewska"),
    ("Wiśniewski", "Wisniewski"),
    ("Kowalska", "Kowalski"),
    ("Kamińska", "Kaminska"),
    ("Kamiński", "Kaminski"),
    ("Dąbrowska", "Dabrowska"),
    ("Dąbrowski", "Dabrowski"),
    ("Woźniak", "Wozniak"),
    ("Kozłowski", "Kozlowski"),
    ("Zieliński", "Zielinski"),
    # South Asian transliterations
    ("Mohammed", "Muhammad", "Mohammad", "Mohamed", "Muhammed"),
    ("Aisha", "Ayesha", "Aysha"),
    ("Fatima", "Fatimah", "Fatma"),
    ("Zainab", "Zaynab", "Zenab"),
    ("Maryam", "Mariam", "Mariyam"),
    ("Yusuf", "Yousuf", "Yusef", "Youssef"),
    ("Hussain", "Hussein", "Husain", "Hossain"),
    ("Ahmed", "Ahmad", "Ahmet"),
    ("Akhtar", "Akhter", "Akhter"),
    ("Rahman", "Rehman", "Rahmann"),
    ("Chaudhry", "Choudhury", "Chowdhury", "Chaudhary"),
    ("Mahmood", "Mehmood", "Mahmud", "Mahmoud"),
    ("Harpreet", "Harprit"),
    ("Gurpreet", "Gurprit"),
    # Arabic transliterations
    ("Omar", "Umar", "Omer"),
    ("Khalid", "Khaled", "Khalied"),
    ("Abdullah", "Abdallah", "Abdulla"),
    ("Hassan", "Hasan", "Hassen"),
    ("Mustafa", "Mostafa", "Moustafa"),
    ("Layla", "Leila", "Laila", "Leyla"),
    ("Noor", "Nour", "Nur"),
    ("Amira", "Ameera", "Amirah"),
    ("Al-Hassan", "Alhassan", "El Hassan", "El-Hassan"),
    ("Al-Sayed", "El-Sayed", "Elsayed", "Al Sayed"),
    ("Mansour", "Mansur", "Mansoor"),
    ("Nasser", "Nasir", "Naser"),
    ("Saleh", "Salih", "Saleh"),
    ("Osman", "Othman", "Uthman"),
)

VARIANTS: dict[str, tuple[str, ...]] = {}
for _group in _VARIANT_GROUPS:
    _unique = tuple(dict.fromkeys(_group))
    for _name in _unique:
        VARIANTS[_name] = tuple(v for v in _unique if v != _name)

ORIGINS: tuple[Origin, ...] = (
    Origin(
        "en_GB",
        0.78,
        tuple(_GbPerson.first_names_female),
        tuple(_GbPerson.first_names_male),
        _gb_surnames,
        _gb_weights,
    ),
    Origin(
        "welsh",
        0.05,
        ("Cerys", "Carys", "Ffion", "Seren", "Mali", "Eleri", "Siân", "Bethan", "Llinos", "Nia", "Rhiannon", "Lowri"),
        ("Rhys", "Dylan", "Gethin", "Iwan", "Osian", "Aled", "Gareth", "Owain", "Tomos", "Elis", "Cai", "Emyr"),
        ("Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Griffiths")
        + ("Pritchard", "Llewellyn", "Powell", "Price", "Vaughan", "Jenkins", "Bowen", "Rees", "Parry", "Owen"),
    ),
    Origin(
        "irish",
        0.05,
        ("Aoife", "Niamh", "Siobhán", "Saoirse", "Caoimhe", "Ciara", "Orla", "Róisín", "Sinéad", "Aisling"),
        ("Eoin", "Cian", "Oisín", "Darragh", "Ciarán", "Seán", "Pádraig", "Conor", "Declan", "Liam", "Ronan"),
        ("O'Brien", "O'Connor", "Murphy", "Kelly", "O'Sullivan", "McCarthy", "Byrne", "Doyle", "Gallagher")
        + ("O'Neill", "McLaughlin", "Kavanagh", "Walsh", "Brennan", "Quinn", "Ryan"),
    ),
    Origin(
        "polish",
        0.04,
        ("Zofia", "Maja", "Zuzanna", "Julia", "Hanna", "Katarzyna", "Agnieszka", "Małgorzata", "Natalia", "Oliwia"),
        ("Jakub", "Kacper", "Szymon", "Mateusz", "Wojciech", "Łukasz", "Michał", "Piotr", "Tomasz", "Filip"),
        ("Nowak", "Wiśniewska", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamińska", "Kamiński", "Lewandowski")
        + ("Kowalska", "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Dąbrowska", "Kozłowski", "Mazur"),
    ),
    Origin(
        "south_asian",
        0.06,
        ("Aisha", "Fatima", "Zainab", "Priya", "Ananya", "Harpreet", "Gurpreet", "Simran", "Zara", "Maryam")
        + ("Aaliyah", "Amandeep", "Sana", "Hafsa"),
        ("Mohammed", "Ayaan", "Arjun", "Aarav", "Rahul", "Imran", "Bilal", "Hamza", "Ibrahim", "Yusuf", "Zayn")
        + ("Amandeep", "Ravi", "Adam"),
        ("Khan", "Ahmed", "Hussain", "Ali", "Patel", "Shah", "Singh", "Kaur", "Begum", "Akhtar", "Iqbal")
        + ("Rahman", "Chaudhry", "Mahmood", "Sharma", "Gupta", "Malik", "Mirza", "Islam", "Uddin"),
    ),
    Origin(
        "arabic",
        0.02,
        ("Layla", "Noor", "Amira", "Huda", "Salma", "Rania", "Yasmin", "Mariam", "Fatima", "Hana"),
        ("Omar", "Ahmed", "Yusuf", "Khalid", "Abdullah", "Hassan", "Mustafa", "Ali", "Karim", "Sami"),
        ("Al-Hassan", "Abdullah", "Haddad", "Mansour", "Khalil", "Nasser", "Saleh", "Ibrahim", "Hamdan")
        + ("Al-Sayed", "Osman", "Haddad"),
    ),
)
_ORIGIN_WEIGHTS = tuple(o.weight for o in ORIGINS)

NICKNAMES: dict[str, tuple[str, ...]] = {
    "Jack": ("Jake", "Jacky"),
    "Thomas": ("Tom", "Tommy"),
    "William": ("Will", "Bill", "Billy"),
    "Joshua": ("Josh",),
    "Daniel": ("Danny", "Dan"),
    "James": ("Jim", "Jamie"),
    "Oliver": ("Ollie", "Olly"),
    "Samuel": ("Sam", "Sammy"),
    "Alexander": ("Alex", "Xander"),
    "Matthew": ("Matt",),
    "Benjamin": ("Ben", "Benji"),
    "Christopher": ("Chris",),
    "Michael": ("Mike", "Mikey"),
    "Robert": ("Rob", "Bobby"),
    "Anthony": ("Tony", "Ant"),
    "Nicholas": ("Nick", "Nicky"),
    "Jessica": ("Jess", "Jessie"),
    "Rebecca": ("Becky", "Becca"),
    "Elizabeth": ("Beth", "Liz", "Lizzie"),
    "Katherine": ("Kate", "Katie"),
    "Catherine": ("Cathy", "Kate"),
    "Charlotte": ("Lottie", "Charlie"),
    "Olivia": ("Liv", "Livvy"),
    "Samantha": ("Sam", "Sammie"),
    "Victoria": ("Vicky", "Tori"),
    "Jennifer": ("Jenny", "Jen"),
    "Abigail": ("Abbie", "Abby"),
    "Margaret": ("Maggie", "Peggy"),
    "Natalia": ("Nata", "Natka"),
    "Katarzyna": ("Kasia",),
    "Małgorzata": ("Gosia",),
    "Mohammed": ("Mo",),
    "Ibrahim": ("Ibby",),
    "Wojciech": ("Wojtek",),
}

STREET_NAMES = ("Ghost", "Tiny", "K-Dog", "Blaze", "Shorty", "Smokey", "Lil T", "Rizla", "Spider", "Junior")
DOUBLE_BARRELS = ("Smith", "Jones", "Brown", "Taylor", "Wilson", "Evans", "Ali", "Khan", "Murphy", "Nowak")
LOCAL_AUTHORITIES = (
    "Leeds",
    "Bradford",
    "Kirklees",
    "Calderdale",
    "Wakefield",
    "Manchester",
    "Sheffield",
    "Birmingham",
    "Cardiff",
    "Liverpool",
    "Lancashire",
    "Kent",
    "Essex",
    "Hertfordshire",
    "Nottinghamshire",
)


def origin_pick(rng: random.Random) -> Origin:
    return rng.choices(ORIGINS, weights=_ORIGIN_WEIGHTS)[0]


def surname_pick(origin: Origin, rng: random.Random) -> str:
    if origin.surname_weights is not None:
        return rng.choices(origin.surnames, weights=origin.surname_weights)[0]
    return rng.choice(origin.surnames)


def forename_pick(origin: Origin, sex: str, rng: random.Random) -> str:
    pool = origin.female if sex == "female" else origin.male
    return rng.choice(pool)


def spelled(name: str, rng: random.Random, chance: float = 0.2) -> str:
    """The name as recorded: usually as given, sometimes one of its variant spellings."""
    variants = VARIANTS.get(name)
    if variants and rng.random() < chance:
        return rng.choice(variants)
    return name


def variant_of(name: str, rng: random.Random) -> str | None:
    """Another spelling of ``name`` (for a near-duplicate), or None if it has none."""
    for part in (name, *name.split()):
        variants = VARIANTS.get(part)
        if variants:
            return name.replace(part, rng.choice(variants))
    return None


@dataclass(frozen=True)
class Places:
    """Street, town and postcode pools made once from a seeded Faker (fast to sample from)."""

    streets: tuple[str, ...]
    towns: tuple[str, ...]
    postcodes: tuple[str, ...]


def places(seed: int, size: int = 4000) -> Places:
    from faker import Faker

    fake = Faker("en_GB")
    fake.seed_instance(seed)
    streets = tuple(fake.street_name() for _ in range(size))
    towns = tuple(dict.fromkeys(fake.city() for _ in range(size // 10)))
    postcodes = tuple(fake.postcode() for _ in range(size * 2))
    return Places(streets, towns, postcodes)
