"""Settings: defaults from config/, a TOML file, environment variables, and clear errors."""

from pathlib import Path

import pytest

from station.errors import SettingsError
from station.settings import load_settings


def test_defaults_come_from_config_defaults(monkeypatch):
    settings = load_settings()
    assert settings.role == "all-in-one"
    assert settings.server.port == 8000
    assert settings.database_url == f"sqlite:///{settings.data_dir}/station.db"
    assert settings.evidence_dir == settings.data_dir / "evidence"
    assert "~" not in str(settings.data_dir)


def test_file_then_environment_then_command_line(tmp_path: Path, monkeypatch):
    config = tmp_path / "site.toml"
    config.write_text('role = "station"\nstation_id = "HZ1-B01"\n[server]\nport = 9000\n')
    assert load_settings(config).server.port == 9000
    monkeypatch.setenv("INBOUND_STATION_SERVER__PORT", "9100")
    settings = load_settings(config)
    assert (settings.role, settings.station_id, settings.server.port) == (
        "station",
        "HZ1-B01",
        9100,
    )
    assert settings.server.host == "127.0.0.1"  # untouched keys keep their defaults
    assert load_settings(config, role="central").role == "central"


def test_config_file_named_by_environment(tmp_path: Path, monkeypatch):
    config = tmp_path / "site.toml"
    config.write_text(f'data_dir = "{tmp_path}/data"\n')
    monkeypatch.setenv("INBOUND_STATION_CONFIG", str(config))
    settings = load_settings()
    assert settings.database_url == f"sqlite:///{tmp_path}/data/station.db"


def test_postgres_url_gets_the_psycopg_driver(monkeypatch):
    monkeypatch.setenv("INBOUND_STATION_DATABASE_URL", "postgresql://postgres@db:5432/central")
    assert load_settings().database_url == "postgresql+psycopg://postgres@db:5432/central"


def test_bad_value_in_file_names_setting_file_and_form(tmp_path: Path):
    config = tmp_path / "site.toml"
    config.write_text('role = "bench"\n[server]\nport = "eighty"\n')
    with pytest.raises(SettingsError) as err:
        load_settings(config)
    message = str(err.value)
    assert f"role (from {config})" in message
    assert "'all-in-one', 'station' or 'central'" in message
    assert f"server.port (from {config})" in message and "integer" in message


def test_bad_environment_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("INBOUND_STATION_DATABASE_URL", "mysql://root@localhost/x")
    with pytest.raises(SettingsError) as err:
        load_settings()
    assert "environment variable INBOUND_STATION_DATABASE_URL" in str(err.value)
    assert "expected sqlite:///PATH or postgresql://" in str(err.value)


def test_unknown_key_in_file_is_refused(tmp_path: Path):
    config = tmp_path / "site.toml"
    config.write_text("databse_url = 'sqlite:///x.db'\n")
    with pytest.raises(SettingsError, match=r"unknown setting 'databse_url' \(from .*site.toml\)"):
        load_settings(config)


def test_unknown_environment_variable_is_refused(monkeypatch):
    monkeypatch.setenv("INBOUND_STATION_DATABSE_URL", "sqlite:///x.db")
    with pytest.raises(SettingsError, match="INBOUND_STATION_DATABSE_URL is not a setting"):
        load_settings()


def test_missing_and_malformed_files(tmp_path: Path):
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("role = \n")
    with pytest.raises(SettingsError, match="is not valid TOML"):
        load_settings(broken)


def test_port_out_of_range_from_command_line():
    with pytest.raises(SettingsError, match=r"server.port \(from the command line\)"):
        load_settings(server={"port": 70000})


def test_configuration_reference_lists_every_setting_with_its_meaning():
    """docs/configuration.md carries the table `settings --reference` prints, and every
    setting the code reads is in the defaults file with a comment saying what it means."""
    from station.paths import config_dir
    from station.settings_reference import reference_markdown, setting_docs

    doc = (Path(__file__).resolve().parents[2] / "docs" / "configuration.md").read_text()
    opening = "<!-- settings-reference:start -->\n"
    start = doc.index(opening) + len(opening)
    between = doc[start : doc.index("<!-- settings-reference:end -->")]
    assert between == reference_markdown(), "run `inbound-station settings --reference` into docs"
    documented = {d.name for d in setting_docs()}
    assert all(d.meaning for d in setting_docs()), [d.name for d in setting_docs() if not d.meaning]

    def leaves(values: dict, prefix: str = "") -> set[str]:
        names = set()
        for key, value in values.items():
            name = prefix + key
            names |= leaves(value, name + ".") if isinstance(value, dict) else {name}
        return names

    import tomllib

    with (config_dir() / "defaults.toml").open("rb") as fh:
        assert leaves(tomllib.load(fh)) == documented
