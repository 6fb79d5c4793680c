"""The misconception catalogue: which named mistakes each exercise's check can diagnose.

    python -m lessons_lib.checks.catalogue                    # print the Markdown table
    python -m lessons_lib.checks.catalogue --readme README.md  # refresh the README's copy of it

Read statically from the topic modules' source (no learner code is run): a misconception is a
``Misconception("name", "explanation", ...)`` (imported as ``M``), possibly built from a module-level
``("name", "explanation")`` tuple, a ``failed(message, "name")`` verdict, or a wrong option of a
multiple-choice question (``wrong={"b": ("name", "explanation")}``). An exercise can diagnose
every misconception its checker reaches through the module-level names it uses.
"""
import ast
import importlib.util
from pathlib import Path

from .core import TOPIC_MODULES

_HERE = Path(__file__).resolve().parent
_M_NAMES = {"M", "Misconception"}


def _const_str(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


class _Module:
    """One topic module: its top-level definitions and the misconception names each one mentions."""

    def __init__(self, name):
        self.name = name
        self.tree = ast.parse((_HERE / f"{name}.py").read_text(encoding="utf-8"))
        self.defs = {}      # top-level name -> AST node (function or assigned value)
        self.imports = {}   # local name -> (module, name) for `from .x import y`
        self.tuples = {}    # top-level name -> (misconception name, explanation)
        for node in self.tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.defs[node.name] = node
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.defs[target.id] = node.value
                        if isinstance(node.value, ast.Tuple) and len(node.value.elts) >= 2:
                            first, second = map(_const_str, node.value.elts[:2])
                            if first and second and first.isidentifier():
                                self.tuples[target.id] = (first, second)
            elif isinstance(node, ast.ImportFrom) and node.level == 1 and node.module in TOPIC_MODULES:
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = (node.module, alias.name)

    def exercises(self):
        """(exercise id, title, node) for every ``@register(...)`` checker and multiple-choice question."""
        for node in self.tree.body:
            call = getattr(node, "value", None)
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "_multiple_choice":
                yield _const_str(call.args[0]), _const_str(call.args[1]), call
            if not isinstance(node, ast.FunctionDef):
                continue
            for deco in node.decorator_list:
                if isinstance(deco, ast.Call) and getattr(deco.func, "id", None) == "register":
                    title = next((_const_str(k.value) for k in deco.keywords if k.arg == "title"), "")
                    yield _const_str(deco.args[0]), title, node

    def direct(self, node):
        """Misconceptions written inside ``node`` itself: {name: explanation}."""
        found = {}
        for sub in ast.walk(node):
            if not isinstance(sub, ast.Call):
                continue
            func = getattr(sub.func, "id", None)
            if func in _M_NAMES and sub.args:
                first = sub.args[0]
                if isinstance(first, ast.Starred) and isinstance(first.value, ast.Name) \
                        and first.value.id in self.tuples:
                    name, text = self.tuples[first.value.id]
                    found.setdefault(name, text)
                elif _const_str(first):
                    found.setdefault(_const_str(first), _const_str(sub.args[1]) if len(sub.args) > 1 else "")
            elif func == "_multiple_choice":
                for keyword in sub.keywords:
                    if keyword.arg == "wrong" and isinstance(keyword.value, ast.Dict):
                        for pair in keyword.value.values:
                            name, text = (map(_const_str, pair.elts[:2]) if isinstance(pair, ast.Tuple)
                                          else (None, None))
                            if name:
                                found.setdefault(name, text or "")
            elif func == "failed":
                label = next((_const_str(k.value) for k in sub.keywords if k.arg == "misconception"),
                             _const_str(sub.args[1]) if len(sub.args) > 1 else None)
                if label:
                    found.setdefault(label, _const_str(sub.args[0]) or "")
        return found


def _reachable(modules, module, node, seen):
    """Misconceptions in ``node`` and in every top-level definition it refers to, across modules."""
    found = dict(module.direct(node))
    for sub in ast.walk(node):
        if not isinstance(sub, ast.Name):
            continue
        target_mod, target = module, sub.id
        if sub.id in module.imports:
            mod_name, target = module.imports[sub.id]
            target_mod = modules[mod_name]
        key = (target_mod.name, target)
        if key in seen or target not in target_mod.defs:
            continue
        seen.add(key)
        for name, text in _reachable(modules, target_mod, target_mod.defs[target], seen).items():
            found.setdefault(name, text)
    return found


def catalogue():
    """[(exercise id, title, {misconception name: explanation})] for every registered exercise."""
    modules = {name: _Module(name) for name in TOPIC_MODULES if importlib.util.find_spec(f"{__package__}.{name}")}
    rows = []
    for module in modules.values():
        for exercise_id, title, node in module.exercises():
            rows.append((exercise_id, title, _reachable(modules, module, node, set())))
    return rows


def markdown():
    """The catalogue as a Markdown table: one row per exercise that names misconceptions."""
    lines = ["| exercise | what it asks | misconceptions the check names |", "|---|---|---|"]
    for exercise_id, title, found in catalogue():
        if found:
            names = ", ".join(f"`{name}`" for name in sorted(found))
            lines.append(f"| `{exercise_id}` | {title} | {names} |")
    return "\n".join(lines)


BEGIN, END = "<!-- CATALOGUE:BEGIN -->", "<!-- CATALOGUE:END -->"


def readme_block(text):
    """The catalogue part of a README text (between the two markers), or None when absent."""
    start, stop = text.find(BEGIN), text.find(END)
    return text[start + len(BEGIN):stop].strip() if 0 <= start < stop else None


def update_readme(path):
    """Rewrite the catalogue between the markers of the README at ``path``; True when it changed."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if readme_block(text) is None:
        raise ValueError(f"{path} has no {BEGIN} ... {END} markers to fill in.")
    start, stop = text.find(BEGIN) + len(BEGIN), text.find(END)
    new = text[:start] + "\n" + markdown() + "\n" + text[stop:]
    path.write_text(new, encoding="utf-8")
    return new != text


def main(argv=None):
    import argparse
    parser = argparse.ArgumentParser(prog="python -m lessons_lib.checks.catalogue", description=__doc__.split("\n")[0])
    parser.add_argument("--readme", metavar="PATH", help="rewrite the catalogue table in this README in place")
    args = parser.parse_args(argv)
    if args.readme:
        print(f"{args.readme}: {'updated' if update_readme(args.readme) else 'already up to date'}")
    else:
        print(markdown())


if __name__ == "__main__":
    main()
