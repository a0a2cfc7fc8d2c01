"""The sampling settings: defaults, overrides and clear errors naming where a value came from."""

from decimal import Decimal

import pytest

from station.errors import SettingsError
from station.sampling import plan_lot
from station.settings import load_settings


def test_defaults_give_the_agreed_aqls():
    sampling = load_settings().sampling
    assert sampling.aql == {"critical": 0, "major": Decimal("2.5"), "minor": Decimal("4.0")}
    assert (sampling.scheme, sampling.level) == ("iso2859-1", "II")
    plan = plan_lot(1000, sampling.level, sampling.aql, "normal", sampling.scheme)
    assert plan.sample_size == 80


def test_an_installation_overrides_one_class(tmp_path):
    site = tmp_path / "site.toml"
    site.write_text('[sampling]\nscheme = "z1.4"\n[sampling.aql]\nmajor = "1.0"\n')
    sampling = load_settings(site).sampling
    assert sampling.scheme == "z1.4"
    assert sampling.aql == {"critical": 0, "major": Decimal("1.0"), "minor": Decimal("4.0")}


def test_an_aql_outside_the_tables_is_refused_with_its_source(tmp_path, monkeypatch):
    site = tmp_path / "site.toml"
    site.write_text('[sampling.aql]\nminor = "3.0"\n')
    with pytest.raises(SettingsError) as caught:
        load_settings(site)
    assert f"sampling.aql (from {site})" in str(caught.value)
    assert "minor: AQL 3.0 is not a column of the iso2859-1 tables" in str(caught.value)
    monkeypatch.setenv("INBOUND_STATION_SAMPLING__SCHEME", "iso1234")
    with pytest.raises(SettingsError, match="from environment variable INBOUND_STATION_SAMPLING"):
        load_settings()
