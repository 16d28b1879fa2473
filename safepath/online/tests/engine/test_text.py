"""Text red flags (en, fr, es) as data, the advert graph, hosting look-ups."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from safepath.online.engine import graph, hosting, indicators


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        (
            "New in town, young and fresh, ask for Lily. 120 roses",
            "advert",
            {"TXT-NEW-01", "TXT-AGE-01", "TXT-CTL-01", "TXT-PRC-01"},
        ),
        ("She is 16 yo 🍒", "advert", {"TXT-AGE-03", "TXT-AGE-02"}),
        (
            "Nouvelle en ville, jeune et fraîche, demandez Lila",
            "advert",
            {"TXT-NEW-01", "TXT-AGE-01", "TXT-CTL-01"},
        ),
        (
            "Recién llegada, jovencita, pregunta por Ana, 100 rosas",
            "advert",
            {"TXT-NEW-01", "TXT-AGE-01", "TXT-CTL-01", "TXT-PRC-01"},
        ),
        (
            "how old are you? this is our secret, send a pic",
            "chat",
            {"TXT-GRM-01", "TXT-GRM-02", "TXT-GRM-04"},
        ),
        ("j'ai tes photos, tu as 24 heures, carte cadeau", "chat", {"TXT-SEX-01"}),
        ("Tengo tus fotos. Tienes una hora o la voy a publicar", "chat", {"TXT-SEX-01"}),
        ("Fresh bread and young cheese at the market", "chat", set()),
        ("Professional massage therapist, licensed, appointments weekdays", "advert", set()),
    ],
)
def test_indicators_fire_as_written(text: str, kind: str, expected: set[str]) -> None:
    result = indicators.analyse(text, kind=kind)
    assert {hit.id for hit in result.hits} == expected
    assert "not a finding" in result.as_dict()["notice"]
    for hit in result.hits:
        assert hit.sources
        assert hit.matched
        assert hit.explanation


def test_accents_and_case_do_not_matter() -> None:
    plain = indicators.analyse("nouvelle en ville", kind="advert")
    shouted = indicators.analyse("NOUVELLE EN VILLE", kind="advert")
    assert [h.id for h in plain.hits] == [h.id for h in shouted.hits] == ["TXT-NEW-01"]
    assert indicators.analyse("agregame en insta", kind="chat").hits[0].id == "TXT-GRM-03"


def test_contacts_are_extracted_and_normalised() -> None:
    phones, emails = indicators.extract_contacts(
        "Call +254 712-345-678 or 0712 345 678; mail lily at example dot org; 2024-05-01"
    )
    assert phones == ["+254712345678", "0712345678"]
    assert emails == ["lily@example.org"]


def test_every_file_passes_its_schema_and_cites_sources() -> None:
    assert indicators.validate_files() == []
    described = indicators.describe()
    assert {d["language"] for d in described} == {"en", "fr", "es"}
    assert all(d["sources"] for d in described)


def test_a_broken_file_is_named(tmp_path: Path) -> None:
    data = yaml.safe_load((indicators.INDICATORS_DIR / "en.yaml").read_text())
    data["indicators"][2]["weight"] = 500
    (tmp_path / "en.yaml").write_text(yaml.safe_dump(data))
    problems = indicators.validate_files(tmp_path)
    assert problems
    assert problems[0].startswith("en.yaml: indicators.2.weight")
    data["indicators"][2]["weight"] = 5
    data["indicators"][2]["sources"] = ["NOWHERE"]
    (tmp_path / "en.yaml").write_text(yaml.safe_dump(data))
    assert "unknown source NOWHERE" in indicators.validate_files(tmp_path)[0]


def test_graph_links_shared_contacts_and_counts_cities() -> None:
    nodes = [
        graph.AdvertNode("a1", "Nairobi", phones=("0712345678",)),
        graph.AdvertNode("a2", "Mombasa", phones=("0712345678",), emails=("x@example.org",)),
        graph.AdvertNode("a3", "Kisumu", emails=("x@example.org",)),
        graph.AdvertNode("a4", "Nakuru", phones=("0799000000",)),
        graph.AdvertNode("a5", "Nairobi", image_hashes=("0" * 64,)),
        graph.AdvertNode("a6", "Eldoret", image_hashes=("0" * 60 + "000f",)),
    ]
    built = graph.build_graph(nodes)
    assert built.group_of("a1") == ["a1", "a2", "a3"]
    assert built.group_of("a5") == ["a5", "a6"]
    assert built.group_of("a4") == ["a4"]
    assert built.cities_per_phone["0712345678"] == ["Mombasa", "Nairobi"]
    data = built.as_dict()
    assert data["phones"][0] == {
        "phone": "0712345678",
        "cities": ["Mombasa", "Nairobi"],
        "city_count": 2,
    }
    assert "not a finding" in data["notice"]


def test_phones_written_differently_are_one_number() -> None:
    nodes = [
        graph.AdvertNode("a", "Nairobi", phones=("+15550142",)),
        graph.AdvertNode("b", "Mombasa", phones=("5550142",)),
        graph.AdvertNode("c", "Kisumu", phones=("+254712345678",)),
    ]
    built = graph.build_graph(nodes)
    assert built.cities_per_phone == {
        "+15550142": ["Mombasa", "Nairobi"],
        "+254712345678": ["Kisumu"],
    }
    assert built.group_of("a") == ["a", "b"]


def test_hosting_from_whois_and_rdap() -> None:
    whois = (
        "Registrar: Example Registrar LLC\nOrgName: Example Hosting BV\nCountry: nl\n"
        "NetRange: 192.0.2.0 - 192.0.2.255\n"
    )
    found = hosting.parse_lookup(whois)
    assert found == hosting.Hosting(
        "192.0.2.0", "Example Hosting BV", "Example Registrar LLC", "NL"
    )
    rdap = (
        '{"startAddress": "198.51.100.0", "country": "DE", "name": "EXAMPLE-NET", "entities": ['
        '{"roles": ["registrant"], "vcardArray": ["vcard", [["fn", {}, "text", "Host GmbH"]]]}]}'
    )
    assert hosting.parse_lookup(rdap) == hosting.Hosting("198.51.100.0", "Host GmbH", "", "DE")
