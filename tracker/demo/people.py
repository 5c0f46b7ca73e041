"""The demo's people: four logins, the leadership group, the responsible, the crowd."""

from __future__ import annotations

from itertools import cycle
from typing import TYPE_CHECKING

from tracker import clock
from tracker.demo.data import COMPETENCES, DEPARTMENTS, FIRST_NAMES, LAST_NAMES
from tracker.models.people import Competence, Department, Person, Role
from tracker.services import people

if TYPE_CHECKING:
    from tracker.demo.load import Demo

LOGINS = [
    ("ledning@demo.se", Role.LEADERSHIP),
    ("medarbetare@demo.se", Role.STAFF),
    ("kommunikator@demo.se", Role.COMMUNICATOR),
    ("admin@demo.se", Role.ADMIN),
]
LOGIN_NAMES = ["Lena Ledare", "Mats Medarbetare", "Klara Kommunikatör", "Adam Admin"]

# name, department, competences, years of experience; the first three lead with Lena
LEADERS = [
    ("Birgitta Sandström", "Administrativa enheten", ["Projektledning"], 24),
    ("Hassan Jama", "Arbetsmarknadsenheten", ["Processutveckling"], 18),
    ("Ulrika Lindqvist", "Ekonomiskt bistånd", ["Myndighetsutövning"], 21),
]
RESPONSIBLE = [
    (
        "Johanna Ek",
        "Arbetsmarknadsenheten",
        ["Processutveckling", "Projektledning"],
        12,
    ),
    ("Daniel Rosén", "Ekonomiskt bistånd", ["Myndighetsutövning", "Juridik"], 15),
    ("Samira Haddad", "Etableringsenheten", ["Språkstöd", "Coachning"], 8),
    ("Peter Wallin", "Vuxenutbildningen", ["Studie- och yrkesvägledning"], 20),
    ("Leila Rahimi", "Ungdomsenheten", ["Socialt arbete", "Coachning"], 6),
    ("Tove Björk", "Kommunikationsenheten", ["Kommunikation", "Digitalisering"], 9),
    ("Magnus Ekström", "Administrativa enheten", ["Dataanalys", "Digitalisering"], 11),
    ("Helena Strand", "Daglig verksamhet", ["Socialt arbete", "Kvalitetsarbete"], 17),
    ("Jonas Falk", "Administrativa enheten", ["Juridik", "Myndighetsutövning"], 14),
    ("Nadia Osman", "Arbetsmarknadsenheten", ["Dataanalys", "Processutveckling"], 5),
]
CROWD_SIZE = 52


def create_people(demo: Demo) -> None:
    """Vocabularies, the logins with the demo password, leaders, responsible, crowd."""
    session = demo.session
    departments = {
        n: people.get_or_create_term(session, Department, n) for n in DEPARTMENTS
    }
    competences = {
        n: people.get_or_create_term(session, Competence, n) for n in COMPETENCES
    }
    for (email, role), name in zip(LOGINS, LOGIN_NAMES, strict=True):
        person = people.find_by_email(session, email)
        if person is None:
            person = people.create_person(
                session,
                None,
                people.PersonValues(
                    name=name,
                    email=email,
                    department=departments["Arbetsmarknadsenheten"],
                    competences=[competences["Coachning"]],
                    years_experience=7,
                ),
                role=role,
            )
            people.set_password(person, demo.password, enforce_length=False)
        demo.people[email] = demo.people[person.name] = person
    for rows, role in ((LEADERS, Role.LEADERSHIP), (RESPONSIBLE, Role.STAFF)):
        for name, department, skills, years in rows:
            demo.people[name] = _person(
                demo,
                people.PersonValues(
                    name=name,
                    email=_email(name),
                    department=departments[department],
                    competences=[competences[c] for c in skills],
                    years_experience=years,
                ),
                role,
            )
    _crowd(demo, list(departments.values()), list(competences.values()))


def _crowd(
    demo: Demo, departments: list[Department], competences: list[Competence]
) -> None:
    names = cycle(LAST_NAMES)
    for number in range(CROWD_SIZE):
        name = f"{FIRST_NAMES[number % len(FIRST_NAMES)]} {next(names)}"
        values = people.PersonValues(
            name=name,
            email=_email(name),
            department=departments[number % len(departments)],
            competences=[
                competences[number % len(competences)],
                competences[(number * 5 + 3) % len(competences)],
            ],
            years_experience=(number * 7) % 25,
        )
        demo.crowd.append(_person(demo, values, Role.STAFF))


def _person(demo: Demo, values: people.PersonValues, role: Role) -> Person:
    existing = people.find_by_email(demo.session, values.email or "")
    if existing is not None:
        return existing
    return people.create_person(demo.session, None, values, role=role)


def _email(name: str) -> str:
    return f"{name.lower().replace(' ', '.')}@kommun.example"


def add_citizens(demo: Demo, names: list[str]) -> list[Person]:
    """The reference group's citizens: no login, consent recorded, names unpublished."""
    return [
        people.create_person(
            demo.session,
            demo.leader(),
            people.PersonValues(name=name),
            external=True,
            consent_on=clock.today(),
            consent_note="Skriftligt samtycke vid första träffen.",
        )
        for name in names
    ]
