"""The person register: everyone Haven records, children first."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Replace

from haven.core import clock
from haven.core.history import personal_data
from haven.core.models import BaseModel
from haven.people.choices import (
    AddressKind,
    ContactKind,
    FlagKind,
    IdentifierKind,
    NameKind,
    RelationshipKind,
    Sex,
)

ADULT_AGE = 18
"""The age at which a person is no longer a child (Children Act 1989, s105)."""


def _metaphone_of(field: str) -> models.Func:
    """dmetaphone (fuzzystrmatch) of a normalised surname with its spaces removed: O Brien = OBrien."""
    return models.Func(
        Replace(models.F(field), models.Value(" "), models.Value("")),
        function="dmetaphone",
        output_field=models.CharField(),
    )


def age_on(date_of_birth: date | None, today: date) -> int | None:
    if date_of_birth is None:
        return None
    before_birthday = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - int(before_birthday)


@personal_data(exclude=["surname_metaphone"])
class Person(BaseModel):
    """A person. Age is computed from the date of birth, never stored.

    ``normalised_name`` (forenames and surname, case, accents, hyphens and apostrophes folded) is
    what search indexes; services keep it in step. ``version`` guards against lost updates.
    A restricted person is visible only to ``members`` (and to those who break the glass).
    Gender, ethnicity and health notes are sensitive: shown only with ``PEOPLE_SENSITIVE_VIEW``.
    """

    forenames = models.CharField(max_length=200)
    surname = models.CharField(max_length=200)
    normalised_name = models.CharField(max_length=401, editable=False, db_index=False)
    normalised_surname = models.CharField(max_length=200, editable=False, default="")
    surname_metaphone = models.GeneratedField(
        expression=_metaphone_of("normalised_surname"),
        output_field=models.CharField(max_length=64, null=True),
        db_persist=True,
    )
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_estimated = models.BooleanField(default=False)
    date_of_birth_earliest = models.DateField(null=True, blank=True)
    date_of_birth_latest = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=16, choices=Sex.choices, default=Sex.UNKNOWN)
    gender = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    health_notes = models.TextField(blank=True)
    description = models.TextField(blank=True)
    duplicate_reason = models.TextField(
        blank=True, help_text="Why this person was created despite likely existing matches."
    )
    is_restricted = models.BooleanField(default=False)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="restricted_people",
        through="PersonMember",
        through_fields=("person", "user"),
    )
    restricted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    restricted_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from")
    version = models.PositiveIntegerField(default=1)

    SENSITIVE_FIELDS = ("gender", "ethnicity", "health_notes")

    class Meta:
        ordering = ["surname", "forenames"]
        indexes = [
            GinIndex(fields=["normalised_name"], opclasses=["gin_trgm_ops"], name="people_person_name_trgm"),
            models.Index(fields=["surname_metaphone"], name="people_person_metaphone"),
            models.Index(fields=["date_of_birth"], name="people_person_dob"),
        ]

    def __str__(self) -> str:
        return f"{self.forenames} {self.surname}"

    @property
    def full_name(self) -> str:
        return f"{self.forenames} {self.surname}".strip()

    @property
    def age(self) -> int | None:
        """Age in whole years today (Haven's clock); None without a date of birth."""
        return age_on(self.date_of_birth, clock.now().date())

    @property
    def is_adult(self) -> bool:
        """18 or over today. Without a date of birth, not known to be an adult: the child flows take them."""
        age = self.age
        return age is not None and age >= ADULT_AGE


@personal_data()
class PersonMember(models.Model):
    """A named member of a restricted person, and who named them (DP-06: a member named by someone
    else has need-to-know; one who named themselves does not). ``added_by`` is None for members named
    before it was kept and for Haven's own demo data."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(null=True, blank=True, default=clock.now)

    class Meta:
        db_table = "people_person_members"
        unique_together = [("person", "user")]

    def __str__(self) -> str:
        return f"Member {self.user_id} of person {self.person_id}"


class PersonChild(BaseModel):
    """A record that belongs to one person (and moves with them on a merge)."""

    class Meta:
        abstract = True


@personal_data(exclude=["surname_metaphone"])
class Alias(PersonChild):
    """Another name the person is or was known by."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=16, choices=NameKind.choices, default=NameKind.ALIAS)
    forenames = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=200)
    normalised_name = models.CharField(max_length=401, editable=False)
    normalised_surname = models.CharField(max_length=200, editable=False, default="")
    surname_metaphone = models.GeneratedField(
        expression=_metaphone_of("normalised_surname"),
        output_field=models.CharField(max_length=64, null=True),
        db_persist=True,
    )

    class Meta:
        ordering = ["surname", "forenames", "id"]
        indexes = [
            GinIndex(fields=["normalised_name"], opclasses=["gin_trgm_ops"], name="people_alias_name_trgm"),
            models.Index(fields=["surname_metaphone"], name="people_alias_metaphone"),
        ]

    def __str__(self) -> str:
        return f"{self.forenames} {self.surname}".strip()


@personal_data()
class Identifier(PersonChild):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=32, choices=IdentifierKind.choices)
    value = models.CharField(max_length=64)

    class Meta:
        ordering = ["kind", "value", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


@personal_data()
class Contact(PersonChild):
    """A phone number, e-mail address or social-media handle."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=16, choices=ContactKind.choices)
    value = models.CharField(max_length=254)
    platform = models.CharField(max_length=64, blank=True, help_text="For social media: Snapchat, Instagram…")

    class Meta:
        ordering = ["kind", "value", "id"]

    def __str__(self) -> str:
        return self.value


@personal_data()
class Address(PersonChild):
    """Where the person lives or stays. A refuge address is shown only to those with need-to-know."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(max_length=16, choices=AddressKind.choices, default=AddressKind.HOME)
    lines = models.TextField(help_text="The address, one line per line.")
    postcode = models.CharField(max_length=10, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the source of a refuge address keeps sight of it (DP-06); None: Haven itself or before it was kept

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return ", ".join([*self.lines.splitlines(), self.postcode]).strip(", ")

    @property
    def is_refuge(self) -> bool:
        return self.kind == AddressKind.REFUGE


@personal_data()
class Flag(PersonChild):
    """A warning or status with effective dates (looked-after, child-protection plan…)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=32, choices=FlagKind.choices)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    responsible_authority = models.CharField(max_length=200, blank=True, help_text="Looked-after: responsible LA")
    host_authority = models.CharField(max_length=200, blank=True, help_text="Looked-after: host LA")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-start_date", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_current(self) -> bool:
        today = clock.now().date()
        return (self.start_date is None or self.start_date <= today) and (
            self.end_date is None or self.end_date >= today
        )


@personal_data()
class Relationship(PersonChild):
    """``person`` is ``kind`` of ``other`` (e.g. person is parent of other), with effective dates."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_in")
    kind = models.CharField(max_length=16, choices=RelationshipKind.choices)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.person} is {self.get_kind_display().lower()} of {self.other}"


@personal_data()
class Merge(BaseModel):
    """One merge of ``merged`` into ``survivor``, with everything needed to undo it exactly.

    ``before`` holds both people's rows as they were; ``field_sources`` says, for each field of the
    survivor, which person its value came from; ``moved`` lists every linked row that changed person
    (table, column, primary key); ``created`` the rows the merge added (the merged person's name as
    an alias); ``members_added`` the need-to-know members the survivor gained.
    """

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_absorbed")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    before = models.JSONField()
    field_sources = models.JSONField(default=dict)
    moved = models.JSONField(default=list)
    created = models.JSONField(default=list)
    members_added = models.JSONField(default=list)
    unmerged_at = models.DateTimeField(null=True, blank=True)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.merged} into {self.survivor}"


@personal_data(exclude=["image"])
class PersonPhoto(BaseModel):
    """The person's photograph: one JPEG, re-encoded by Haven with every piece of metadata stripped.

    Kept in the database (no file storage), at most one per person; replacing it overwrites this row.
    ``sha256`` identifies the image in the change history, which does not copy the bytes themselves.
    A photo stays with its person's record on a merge (it is one-to-one).
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="photo")
    image = models.BinaryField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # None: Haven itself (demo data)

    def __str__(self) -> str:
        return f"Photograph of {self.person}"


@personal_data()
class PersonBreakGlass(BaseModel):
    """A user who is not a member opened a restricted person, giving a reason. Lasts ``BREAK_GLASS_LASTS``."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="glass_breaks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "person", "expires_at"], name="people_breakglass_lookup")]

    def __str__(self) -> str:
        return f"Glass broken on person {self.person_id} by {self.user_id}"
