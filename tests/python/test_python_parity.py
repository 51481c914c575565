"""Every command of the ``toaster`` CLI has its Python counterpart.

The commands are read from the real binary's ``--help`` (each group's ``Commands:`` list, down
to the leaves), and compared with the table below: a command added to the CLI without an
entry here fails, as does an entry naming a Python attribute that does not exist or a command
that is gone.
"""

from __future__ import annotations

import re
import subprocess
from typing import Dict, Iterator, List, Tuple

import pytest
from conftest import CLI

import toaster_rs

# Each CLI command (its words) and the Python attributes that do what it does.
PYTHON: Dict[str, List[str]] = {
    "owner add": ["Actor.add_owner", "Toaster.add_first_owner"],
    "owner list": ["Actor.owners"],
    "owner show": ["Actor.owner_named", "Actor.owner"],
    "owner edit": ["Actor.edit_owner"],
    "owner use": ["Toaster.use_owner", "Toaster.act_as_remembered"],
    "owner grant-admin": ["Actor.set_admin"],
    "owner revoke-admin": ["Actor.set_admin"],
    "owner token create": ["Actor.create_token"],
    "owner token list": ["Actor.tokens"],
    "owner token revoke": ["Actor.revoke_token"],
    "project create": ["Actor.create_project"],
    "project import": ["Actor.import_project"],
    "project export": ["Actor.export_bundle", "Actor.export_kas"],
    "project import-bundle": ["Actor.import_bundle"],
    "project import-kas": ["Actor.import_kas"],
    "project list": ["Actor.projects"],
    "project show": ["Actor.project"],
    "project clone": ["Actor.clone_project"],
    "project delete": ["Actor.delete_project"],
    "project clean": ["Actor.clean_project"],
    "project history": ["Actor.history"],
    "project diff": ["Actor.diff"],
    "project undo": ["Actor.undo"],
    "project revert": ["Actor.revert"],
    "project reset": ["Actor.reset"],
    "project chmod": ["Actor.chmod"],
    "project chown": ["Actor.chown"],
    "project chgrp": ["Actor.chgrp"],
    "project default-mode": ["Actor.default_mode", "Actor.set_default_mode"],
    "config set": ["Actor.set"],
    "config unset": ["Actor.unset"],
    "config add": ["Actor.add"],
    "config remove": ["Actor.remove"],
    "config get": ["Actor.get"],
    "config schema": ["Toaster.schema"],
    "config show": ["Actor.config"],
    "build start": ["Actor.request_build"],
    "build watch": ["Actor.wait_for_build"],
    "build cancel": ["Actor.cancel_build"],
    "build list": ["Actor.builds"],
    "build show": ["Actor.build"],
    "build tasks": ["Actor.tasks", "Actor.tasks_depending_on", "Actor.tasks_needed_by"],
    "build recipes": ["Actor.recipes", "Actor.recipes_depending_on", "Actor.recipes_needed_by"],
    "build variables": ["Actor.recorded_variables", "Actor.recorded_variable", "Actor.variable_history"],
    "build compare": ["Actor.compare_builds"],
    "build packages": ["Actor.packages", "Actor.package_files", "Actor.image_packages", "Actor.package_why"],
    "build files": ["Actor.images", "Actor.image_files"],
    "build hooks": ["Actor.hook_deliveries"],
    "build artifacts": ["Actor.artifacts"],
    "build download": ["Actor.download_artifacts"],
    "build archive": ["Actor.archive_build", "Actor.archive_builds"],
    "build log": ["Actor.log"],
    "build hide": ["Actor.hide_build"],
    "build unhide": ["Actor.hide_build"],
    "build delete": ["Actor.delete_build"],
    "build import-events": ["Actor.import_events"],
    "group add": ["Actor.add_group"],
    "group add-member": ["Actor.add_member"],
    "group remove-member": ["Actor.remove_member"],
    "group list": ["Actor.groups"],
    "audit": ["Actor.audit"],
    "conf eval": ["eval_conf"],
    "conf write": ["Actor.write_conf"],
    "layer add": ["Actor.add_layer"],
    "layer remove": ["Actor.remove_layers"],
    "layer list": ["Actor.layers"],
    "layer show": ["Actor.layer"],
    "layer update": ["Actor.update_layers"],
    "bitbake set": ["Actor.set_bitbake"],
    "bitbake update": ["Actor.update_bitbake"],
    "bitbake show": ["Actor.bitbake"],
    "hook add": ["Actor.add_hook"],
    "hook list": ["Actor.hooks"],
    "hook remove": ["Actor.remove_hook"],
    "hook deliver": ["Actor.deliver_hooks"],
    "settings show": ["Actor.settings"],
    "settings set": ["Actor.set_setting"],
    "settings unset": ["Actor.set_setting"],
    "host list": ["Actor.build_hosts"],
    "host show": ["Actor.build_hosts", "Actor.host_settings"],
    "host set": ["Actor.set_host_settings"],
    "host unset": ["Actor.set_host_settings"],
    "archive import": ["Actor.import_archive"],
    "recipe import": ["Actor.import_recipe"],
    "recipe list": ["Actor.imported_recipes"],
    "recipe show": ["Actor.recipe_text"],
    "recipe remove": ["Actor.remove_recipe"],
}

# CLI commands that have no Python counterpart, and why.
NOT_IN_PYTHON: Dict[str, str] = {
    "db copy": "an operator's one-off move of a whole database between SQLite and PostgreSQL "
    "(the library's store::copy); tooling then opens the copy with toaster_rs.Toaster.open",
    "runner": "a service of the host that claims queued builds and runs BitBake until stopped; "
    "Python queues builds (Actor.request_build) and waits for them (Actor.wait_for_build)",
    "serve": "a web server of the host (pages, a JSON API and downloads for browsers and HTTP "
    "clients, signed in with tokens from Actor.create_token); Python calls the facade directly",
    "status": "says which database, project and owner the command line found from the current "
    "directory and the environment; Python names them itself (toaster_rs.open(path), "
    "Toaster.act_as(owner), Actor.project(name))",
}

HELP = "help"  # clap's own `help` command in every group: prints help, nothing to map


def cli_commands(path: Tuple[str, ...] = ()) -> Iterator[str]:
    """Every leaf command of the CLI under `path`, as words joined by spaces."""
    shown = subprocess.run([str(CLI), *path, "--help"], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, (path, shown.stderr)
    names = subcommands(shown.stdout)
    if not names:
        yield " ".join(path)
    for name in names:
        yield from cli_commands(path + (name,))


def subcommands(help_text: str) -> List[str]:
    """The names in a `--help`'s `Commands:` list (clap's layout: two spaces, the name, then
    its summary; summaries that wrap are indented further)."""
    lines = help_text.splitlines()
    if "Commands:" not in lines:
        return []
    listed = lines[lines.index("Commands:") + 1 :]
    names = []
    for line in listed:
        if not line.strip():
            break
        match = re.match(r"^  (\S+)(\s|$)", line)
        if match and match.group(1) != HELP:
            names.append(match.group(1))
    return names


def python_attribute(dotted: str) -> object:
    found: object = toaster_rs
    for part in dotted.split("."):
        found = getattr(found, part)
    return found


@pytest.fixture(scope="module")
def commands() -> List[str]:
    if not CLI.exists():
        pytest.skip("the toaster CLI is not built: run `cargo build -p toaster-cli` (looked for %s)" % CLI)
    return sorted(cli_commands())


def test_the_help_is_read_down_to_every_command(commands):
    assert {"owner add", "build import-events", "audit", "runner", "conf eval"} <= set(commands)
    assert not any(c.endswith(" help") for c in commands)


def test_every_cli_command_has_a_python_counterpart_or_a_reason(commands):
    missing = [c for c in commands if c not in PYTHON and c not in NOT_IN_PYTHON]
    assert not missing, "CLI commands with no Python counterpart in PYTHON (or a reason in NOT_IN_PYTHON): %s" % missing
    gone = sorted((set(PYTHON) | set(NOT_IN_PYTHON)) - set(commands))
    assert not gone, "entries for commands the CLI no longer has: %s" % gone


@pytest.mark.parametrize("command", sorted(PYTHON))
def test_each_counterpart_exists_and_is_documented(command):
    for dotted in PYTHON[command]:
        attribute = python_attribute(dotted)
        assert attribute.__doc__, "%s (for `toaster %s`) has no docstring" % (dotted, command)
