"""Roles are read in one place: ``organisations.access``. Everything else asks ``Access`` a named
question (docs/tenancy.md). These tests read the source (Python by its syntax tree, templates by
their ``access.`` lookups) and fail when a role or membership leaks past it again."""

import ast
import re
from pathlib import Path

import pytest

from stegvis.organisations import access as access_module

SRC = Path(__file__).resolve().parent.parent / "src" / "stegvis"
ACCESS_MODULE = "organisations/access.py"

# What only Access reads: its own sets of ids and role flags, and a user's memberships.
INTERNALS = {
    "view_all",
    "view_unit",
    "manage",
    "is_admin",
    "is_viewer",
    "district_ids",
    "principal_unit_ids",
    "contributor_unit_ids",
    "has_unit_roles",
    "memberships",
    "membership_set",
}
# Roles as data: the names of the model and its choices, a membership's role, role lookups.
ROLE_NAMES = {"Role", "Membership", "ORGANIZER_ROLES", "UNIT_ROLES"}
ROLE_ATTRIBUTES = {"role", "get_role_display"}
ROLE_LOOKUP = re.compile(r"^(role|memberships?|membership_set)(__|$)")
# Modules that keep roles as data (create, list and remove memberships), not to decide rights.
ROLE_DATA_MODULES = {
    ACCESS_MODULE: "the one reader of roles",
    "organisations/models.py": "Role and Membership themselves",
    "organisations/domain.py": "add_membership, remove_membership, create_user (the rules of roles as data)",
    "organisations/forms.py": "the role and scope fields of the user forms",
    "organisations/views.py": "the user and district admin pages that list and change roles",
    "organisations/management/commands/create_organizer.py": "gives a new organiser its first admin",
    "demo/demo.py": "builds the demo organiser's people and their roles",
    "demo/data.py": "the demo's people and their roles",
    "organisations/holdings.py": "a person's roles in their personal-data export, and removed on erasure",
    "networks/models.py": "NetworkMember and its role (member or coordinator) as data",
    "networks/domain.py": "add_member puts a user in a network with a role",
    "networks/forms.py": "the role field when an organiser admin adds someone to a network",
    "networks/queries.py": "the network roles Access reads (through its provider) and the lists of people by role",
    "networks/holdings.py": "a person's places in networks in their personal-data export",
    "demo/networks.py": "the demo network's coordinators and members",
    "privacy/domain.py": "erasure removes the person's memberships and asks whether any remain elsewhere",
}
# Templates that show a user's roles to the admin who changes them.
ROLE_DATA_TEMPLATES = {
    "organisations/templates/organisations/user_edit.html",
    "organisations/templates/organisations/user_list.html",
    "organisations/templates/organisations/role.html",
    "organisations/templates/organisations/invitation_what.html",  # what an invitation offers
}


def public_questions():
    """What may be asked of ``request.access``: the public names of the Access classes, and
    every ``can_...`` question (a room may add its own there)."""
    names = {"user", "organizer", "token"}
    for cls in (access_module.NoAccess, access_module.Access, access_module.TokenAccess):
        names |= {n for n in vars(cls) if not n.startswith("_")}
    return names - INTERNALS - {"for_slug", "for_user"}


def python_modules():
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if "/migrations/" not in rel:
            yield rel, ast.parse(path.read_text(encoding="utf-8"), filename=rel)


def templates():
    for path in sorted(SRC.rglob("templates/**/*.html")):
        yield path.relative_to(SRC).as_posix(), path.read_text(encoding="utf-8")


def _is_access(node):
    """``access``, ``request.access``, ``self.access``: an expression that holds an Access."""
    return (isinstance(node, ast.Name) and node.id == "access") or (
        isinstance(node, ast.Attribute) and node.attr == "access"
    )


def leaks_in_python(rel, tree, questions):
    found = []
    role_data = rel in ROLE_DATA_MODULES
    for node in ast.walk(tree):
        where = f"{rel}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Attribute):
            if rel != ACCESS_MODULE and node.attr in INTERNALS:
                found.append(f"{where} reads .{node.attr}")
            if _is_access(node.value) and node.attr not in questions and rel != ACCESS_MODULE:
                found.append(f"{where} asks access.{node.attr}, which is not one of Access's questions")
            if not role_data and node.attr in ROLE_ATTRIBUTES:
                found.append(f"{where} reads .{node.attr}")
        elif isinstance(node, ast.Name) and not role_data and node.id in ROLE_NAMES:
            found.append(f"{where} uses {node.id}")
        elif isinstance(node, ast.ImportFrom) and not role_data:
            found += [f"{where} imports {a.name}" for a in node.names if a.name in ROLE_NAMES]
        elif isinstance(node, ast.keyword) and not role_data and node.arg and ROLE_LOOKUP.match(node.arg):
            found.append(f"{where} filters on {node.arg}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if rel != ACCESS_MODULE and node.value in INTERNALS - {"memberships", "membership_set"}:
                found.append(f"{where} names {node.value!r}")  # getattr(access, "district_ids")
            elif not role_data and ROLE_LOOKUP.match(node.value):
                found.append(f"{where} names {node.value!r}")
    return found


TEMPLATE_ACCESS = re.compile(r"\baccess\.(\w+)")
TEMPLATE_INTERNALS = re.compile(r"\.({})\b".format("|".join(sorted(INTERNALS))))
TEMPLATE_ROLES = re.compile(r"\.(role|get_role_display)\b|\bmemberships\b")


def leaks_in_template(rel, text, questions):
    found = [f"{rel} asks access.{name}" for name in TEMPLATE_ACCESS.findall(text) if name not in questions]
    found += [f"{rel} reads .{m.group(1)}" for m in TEMPLATE_INTERNALS.finditer(text)]
    if rel not in ROLE_DATA_TEMPLATES:
        found += [f"{rel} reads {m.group(0)}" for m in TEMPLATE_ROLES.finditer(text)]
    return found


def test_only_access_reads_roles_in_python():
    questions = public_questions()
    leaks = [leak for rel, tree in python_modules() for leak in leaks_in_python(rel, tree, questions)]
    assert leaks == [], "ask organisations.access.Access a named question instead:\n" + "\n".join(leaks)


def test_templates_ask_access_questions_only():
    questions = public_questions()
    leaks = [leak for rel, text in templates() for leak in leaks_in_template(rel, text, questions)]
    assert leaks == [], "ask organisations.access.Access a named question instead:\n" + "\n".join(leaks)


def test_the_allowed_modules_exist():
    """A stale entry would let a new module of that name read roles unnoticed."""
    for rel in [*ROLE_DATA_MODULES, *ROLE_DATA_TEMPLATES]:
        assert (SRC / rel).is_file(), rel


@pytest.mark.parametrize(
    "source,expected",
    [
        ("def v(request):\n    return request.access.view_all or request.access.district_ids\n", "reads .view_all"),
        ("def v(access):\n    return access.district_ids\n", "reads .district_ids"),
        ("def v(a):\n    return a.principal_unit_ids\n", "reads .principal_unit_ids"),
        ("def v(request):\n    return request.access.is_viewer\n", "reads .is_viewer"),
        ("def v(request):\n    return request.access.secret_flag\n", "asks access.secret_flag"),
        ("def v(request):\n    return request.user.memberships.all()\n", "reads .memberships"),
        ("def v(m):\n    return m.role == 'admin'\n", "reads .role"),
        ("from stegvis.organisations.models import Role\n", "imports Role"),
        ("def v(qs):\n    return qs.filter(role='viewer')\n", "filters on role"),
        ("def v(qs, u):\n    return qs.filter(memberships__user=u)\n", "filters on memberships__user"),
        ("def v(qs):\n    return qs.values('membership_set')\n", "names 'membership_set'"),
        ("def v(access):\n    return getattr(access, 'district_ids')\n", "names 'district_ids'"),
    ],
)
def test_a_leak_is_caught(source, expected):
    leaks = leaks_in_python("overview/views.py", ast.parse(source), public_questions())
    assert any(expected in leak for leak in leaks), leaks


@pytest.mark.parametrize(
    "text",
    [
        "{% if access.view_all or access.district_ids %}",
        "{% if access.is_admin %}",
        "{% for m in user.memberships.all %}{{ m.role }}{% endfor %}",
    ],
)
def test_a_leak_in_a_template_is_caught(text):
    assert leaks_in_template("core/templates/base.html", text, public_questions())


def test_questions_pass():
    source = (
        "def v(request, unit):\n"
        "    a = request.access\n"
        "    return request.access.can_read_organiser and request.access.can_assess(unit)"
        " and request.access.visible_units(unit)\n"
    )
    assert leaks_in_python("overview/views.py", ast.parse(source), public_questions()) == []
    assert leaks_in_template("core/templates/base.html", "{% if access.can_manage %}", public_questions()) == []
