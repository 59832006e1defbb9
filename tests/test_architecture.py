"""The shape of the code, checked on every ``make test``:

- imports flow one way, ``tdkt`` ← ``movements`` ← ``nominations`` ← ``councils``; an app imports
  another only through its public module (``<app>/api.py``); the one exception is the leaf award
  catalogue ``nominations.catalogues``, which ``movements`` may read;
- no cycle between modules (module-level imports);
- no import inside a function or class unless a comment on the line or just above says why;
- no role name written as a string outside ``tdkt/roles.py`` (Python and templates).

Each checker is a plain function over a module graph, tested below on a small made-up graph too, so a
checker that silently found nothing would fail.
"""

import ast
import re
from pathlib import Path

import pytest

from tdkt.roles import Role

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["tdkt", "movements", "nominations", "councils"]  # lower first
PUBLIC_MODULE = "api"
# (importing app, imported module): allowed although it goes upwards, with the reason.
UPWARD_EXCEPTIONS = {
    ("movements", "nominations.catalogues"): "leaf award catalogue: registrations and acclamations name a title",
    ("movements", "nominations.enums"): "imported by nominations.catalogues (Django enums only)",
}
ROLES_MODULE = "tdkt.roles"


# ---------------------------------------------------------------- reading the source

def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def source_files():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield path


def _resolve(module, node, is_package):
    """Absolute names imported by an Import/ImportFrom node of ``module``."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".")
        if not is_package:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module
    return [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]


def read_modules():
    """``{module: {"top": set(imported names), "nested": [(lineno, names, commented)], "path": Path}}``."""
    modules = {}
    for path in source_files():
        name = module_name(path)
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        tree = ast.parse(text, filename=str(path))
        top, nested = set(), []
        is_package = path.name == "__init__.py"

        def visit(node, depth, name=name, lines=lines, is_package=is_package, top=top, nested=nested):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    names = _resolve(name, child, is_package)
                    if depth == 0:
                        top.update(names)
                    else:
                        nearby = lines[max(0, child.lineno - 4): child.lineno]
                        commented = any("#" in line for line in nearby)
                        nested.append((child.lineno, names, commented))
                inner = depth + 1 if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else depth
                visit(child, inner)

        visit(tree, 0)
        modules[name] = {"top": top, "nested": nested, "path": path, "tree": tree, "lines": lines}
    return modules


def project_edges(modules, *, nested=False):
    """``{module: {project module it imports}}`` (names reduced to modules that exist)."""
    known = set(modules)
    edges = {}
    for name, info in modules.items():
        names = set(info["top"])
        if nested:
            names |= {n for _line, ns, _c in info["nested"] for n in ns}
        targets = set()
        for imported in names:
            candidate = imported
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
        edges[name] = targets
    return edges


# ---------------------------------------------------------------- the checkers

def layer_of(module):
    return LAYERS.index(module.split(".")[0])


def layer_violations(edges):
    """Imports from a lower app to a higher one, or into another app other than its public module."""
    problems = []
    for source, targets in edges.items():
        source_app = source.split(".")[0]
        for target in sorted(targets):
            target_app = target.split(".")[0]
            if target_app == source_app:
                continue
            if (source_app, target) in UPWARD_EXCEPTIONS:
                continue
            if layer_of(target) > layer_of(source):
                problems.append(f"{source} imports {target}: {source_app} is below {target_app}")
            elif target_app != "tdkt" and target not in (target_app, f"{target_app}.{PUBLIC_MODULE}"):
                problems.append(f"{source} imports {target}: use {target_app}.{PUBLIC_MODULE}")
    return problems


def cycles(edges):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def connect(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


def uncommented_nested_imports(modules):
    return [f"{info['path'].relative_to(ROOT)}:{line}: import inside a function without a comment saying why"
            for info in modules.values() for line, _names, commented in info["nested"] if not commented]


ROLE_VALUES = set(Role.values)


def _mentions_role(node):
    return any((isinstance(n, ast.Attribute) and n.attr == "role") or (isinstance(n, ast.Name) and n.id == "role")
               for n in ast.walk(node))


def _role_constants(node):
    return [n for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in ROLE_VALUES]


def role_literals_in_python(name, tree):
    """Role names written as strings: compared with a ``role``, or passed as ``role=`` / ``role__in=``."""
    if name == ROLES_MODULE:
        return []
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and _mentions_role(node):
            problems += [f"{name}:{c.lineno}: role “{c.value}” compared as a string" for c in _role_constants(node)]
        elif isinstance(node, ast.keyword) and node.arg and (node.arg == "role" or node.arg.startswith("role__")):
            problems += [f"{name}:{c.lineno}: role “{c.value}” passed as a string" for c in _role_constants(node.value)]
    return problems


TEMPLATE_ROLE = re.compile(r"""\.role\s*(==|!=|in)\s*['"](""" + "|".join(sorted(ROLE_VALUES)) + r""")['"]""")


def role_literals_in_templates():
    problems = []
    for app in ["templates", *LAYERS]:
        for path in sorted((ROOT / app).rglob("*.html")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if TEMPLATE_ROLE.search(line):
                    problems.append(f"{path.relative_to(ROOT)}:{number}: role compared as a string")
    return problems


# ---------------------------------------------------------------- the project

@pytest.fixture(scope="module")
def modules():
    return read_modules()


def test_the_source_is_read(modules):
    assert {"tdkt.roles", "tdkt.workflow", "movements.api", "nominations.api", "nominations.catalogues"} <= set(modules)


def test_imports_flow_one_way_through_public_modules(modules):
    assert layer_violations(project_edges(modules, nested=True)) == []


def test_no_cycle_between_modules(modules):
    assert cycles(project_edges(modules, nested=True)) == []


def test_no_import_inside_a_function_without_a_reason(modules):
    assert uncommented_nested_imports(modules) == []


def test_no_role_name_as_a_string_outside_the_roles_module(modules):
    problems = []
    for name, info in modules.items():
        problems += role_literals_in_python(name, info["tree"])
    assert problems + role_literals_in_templates() == []


# ---------------------------------------------------------------- the checkers find what they look for

def test_layer_checker_refuses_upward_and_private_imports():
    edges = {
        "tdkt.views": {"movements.selectors"},
        "movements.selectors": {"nominations.models", "nominations.catalogues", "tdkt.text"},
        "nominations.models": {"movements.models", "movements.api"},
        "councils.services": {"nominations.api", "tdkt.audit"},
    }
    assert layer_violations(edges) == [
        "tdkt.views imports movements.selectors: tdkt is below movements",
        "movements.selectors imports nominations.models: movements is below nominations",
        "nominations.models imports movements.models: use movements.api",
    ]


def test_cycle_checker_finds_a_cycle():
    edges = {"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}, "a.w": {"a.x"}}
    assert cycles(edges) == [["a.x", "a.y", "a.z"]]
    assert cycles({"a.x": {"a.y"}, "a.y": set()}) == []


def test_role_checker_finds_literals():
    tree = ast.parse('if user.role == "unit" or role in ("office", "x"):\n    User.objects.filter(role="council")\n'
                     'label = "unit"\n')
    assert role_literals_in_python("movements.views", tree) == [
        "movements.views:1: role “unit” compared as a string",
        "movements.views:1: role “office” compared as a string",
        "movements.views:2: role “council” passed as a string",
    ]
    assert role_literals_in_python(ROLES_MODULE, tree) == []
    assert TEMPLATE_ROLE.search('{% if user.role == "unit" %}') and not TEMPLATE_ROLE.search("{% if user.is_unit_head %}")


def test_nested_import_checker_wants_a_comment(tmp_path):
    source = "def f():\n    import os\n    return os\n\n\ndef g():\n    # lazy: heavy library\n    import json\n"
    tree = ast.parse(source)
    assert [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Import)] == [2, 8]
    path = ROOT / "tdkt" / "example.py"
    modules = {"tdkt.example": {"path": path, "nested": [(2, ["os"], False), (8, ["json"], True)]}}
    assert uncommented_nested_imports(modules) == ["tdkt/example.py:2: import inside a function without a comment saying why"]
