"""README.md stays true to the code: settings, commands, options, fields, profile keys."""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import re
import shlex
from pathlib import Path

import pytest

from newsarchive import settings
from newsarchive.cli import build_parser
from newsarchive.items import ARCHIVE_FIELDS
from newsarchive.sites import SiteProfile

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SETTINGS_SOURCE = (ROOT / "newsarchive" / "settings.py").read_text(encoding="utf-8")


def our_settings() -> list[str]:
    return sorted(name for name in vars(settings) if name.startswith("NEWSARCHIVE_"))


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def table_rows() -> dict[str, str]:
    """Return the README's table rows keyed by their first cell (without backticks)."""
    rows = {}
    for line in README.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) > 1:
            rows[cells[0].strip("`")] = line
    return rows


def readme_commands(program: str) -> list[str]:
    """Return the commands the README shows for *program*, one per (joined) line."""
    text = README.replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        line = line.strip().removeprefix("$ ").removeprefix(".venv/bin/")
        match = re.search(rf"(?:^|&& |\| |\.lock )(?:\.venv/bin/)?({re.escape(program)} .*)", line)
        if match and not line.startswith(("#", "|")):
            found.append(match.group(1).split(" | ")[0].split(" >> ")[0].split("  #")[0])
    return found


def test_every_setting_of_ours_is_documented_with_its_default():
    rows = table_rows()
    assert our_settings(), "settings.py defines no NEWSARCHIVE_* setting?"
    for name in our_settings():
        assert name in rows, f"README.md does not list {name}"
        default = getattr(settings, name)
        assert f"`{default}`" in rows[name], f"README.md gives the wrong default for {name}"


def test_every_setting_of_ours_has_a_comment_line_above_it():
    lines = SETTINGS_SOURCE.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("NEWSARCHIVE_"):
            assert lines[n - 1].startswith("#"), f"no comment above {line.split()[0]}"


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_every_subcommand_is_documented_with_its_options(command):
    assert f"### newsarchive {command}" in README
    parser = subcommands()[command]
    for action in parser._actions:
        if action.help == argparse.SUPPRESS or not action.option_strings:
            continue
        longest = max(action.option_strings, key=len)
        if longest in ("--help",):
            continue
        assert any(opt in README for opt in action.option_strings), (
            f"README.md does not mention {longest} of newsarchive {command}"
        )


def test_the_commands_the_readme_shows_parse():
    commands = readme_commands("newsarchive")
    assert len(commands) >= 8
    parser = build_parser()
    for command in commands:
        if "[" in command:  # the synopsis line
            continue
        argv = shlex.split(re.sub(r"\$\([^)]*\)", "DATE", command))[1:]
        parser.parse_args(argv)  # SystemExit (a failed test) on a wrong option


def test_scrapy_commands_use_the_news_spider_and_its_arguments():
    commands = readme_commands("scrapy")
    assert commands
    spider_arguments = {"start_urls", "site", "since", "max_pages", "full"}
    for command in commands:
        argv = shlex.split(command)
        assert argv[:3] == ["scrapy", "crawl", "news"], command
        for flag, value in itertools.pairwise(argv):
            if flag == "-a":
                assert value.split("=")[0] in spider_arguments, command
            if flag == "-s":
                assert hasattr(settings, value.split("=")[0]), command


def test_make_targets_in_the_readme_exist():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"^\$ make (\w+)", README, flags=re.MULTILINE):
        assert re.search(rf"^{target}:", makefile, flags=re.MULTILINE), target


@pytest.mark.parametrize("field", ARCHIVE_FIELDS)
def test_every_record_field_is_in_the_schema_table(field):
    assert field in table_rows()


@pytest.mark.parametrize(
    "key", [f.name for f in dataclasses.fields(SiteProfile) if f.name != "name"]
)
def test_every_profile_key_is_documented(key):
    assert key in table_rows()


def test_first_screen_shows_the_two_commands_and_real_output():
    first_screen = "\n".join(README.splitlines()[:45])
    assert "make demo" in first_screen and "make test" in first_screen
    assert "matches expected records: yes" in first_screen


def test_scrapy_settings_quoted_in_the_readme_have_those_values():
    quoted = re.findall(r"`([A-Z][A-Z_]+) = ([^`]+)`", README.replace("\n", " "))
    assert len(quoted) >= 4
    for name, value in quoted:
        assert repr(getattr(settings, name)) == value.strip(), name
