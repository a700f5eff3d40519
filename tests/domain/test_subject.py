"""Subject keys: the same person gets the same key in one deployment, and nothing readable."""

from __future__ import annotations

from datetime import date

import pytest

from guardstation.domain.subject import identity_from_name, identity_from_nik, normalise_name, subject_key

KEY_A = bytes(range(32))
KEY_B = bytes(range(1, 33))


def test_same_identity_same_key():
    identity = identity_from_nik("3513011708800008")
    assert subject_key(KEY_A, identity) == subject_key(KEY_A, identity)
    # The NIK typed with separators is the same person.
    assert identity_from_nik("3513 0117-0880.0008") == identity


def test_different_deployment_key_gives_a_different_key():
    identity = identity_from_nik("3513011708800008")
    assert subject_key(KEY_A, identity) != subject_key(KEY_B, identity)


def test_different_people_get_different_keys():
    assert subject_key(KEY_A, identity_from_nik("3513011708800008")) != subject_key(
        KEY_A, identity_from_nik("3513015108900009")
    )


def test_key_reveals_nothing_readable():
    nik = "3513011708800008"
    key = subject_key(KEY_A, identity_from_nik(nik))
    assert len(key) == 32 and all(c in "0123456789abcdef" for c in key)
    assert nik not in key and nik[:6] not in key


@pytest.mark.parametrize(
    "typed", ["Siti Nur'aini", "SITI NUR’AINI", "  siti   nur'aini ", "Sìti Nür’aini", "siti\tnur'aini"]
)
def test_name_normalisation_folds_accents_case_spaces_and_punctuation(typed):
    assert normalise_name(typed) == "SITI NURAINI"


def test_same_person_by_name_and_birth_date_gets_the_same_key_however_typed():
    born = date(1990, 8, 11)
    a = subject_key(KEY_A, identity_from_name("José  Rizal", born))
    b = subject_key(KEY_A, identity_from_name("jose rizal", "1990-08-11"))
    assert a == b
    other_birthday = subject_key(KEY_A, identity_from_name("jose rizal", date(1990, 8, 12)))
    assert other_birthday != a


def test_name_identity_and_nik_identity_never_collide():
    assert identity_from_nik("3513011708800008").startswith("NIK:")
    assert identity_from_name("Budi", date(1980, 8, 17)).startswith("NAME:")
