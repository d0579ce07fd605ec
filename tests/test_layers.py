"""The packages of app/ in layers (docs/architecture.md): a package imports only from its own layer
or the layers below it, and no packages import each other in a loop, however long. A new
package must be given a layer here."""
import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"

#: Lowest first. What a thing *is* sits below the pages that use it.
LAYERS = (
    # Foundation: the framework's glue, used by everyone.
    {"extensions", "database", "logs", "i18n", "security", "jobs", "mail", "ratelimit"},
    # Reference data and identities.
    {"states", "tilemap"},
    {"auth"},
    {"audit"},
    {"questionnaires"},
    {"cycles"},
    # A State's response as data.
    {"responses"},
    # What is built on responses.
    {"attachments", "stash", "presence", "assignments", "notifications", "reports"},
    {"review"},
    # The State's pages.
    {"answering", "history"},
    # The other pages, each a user task.
    {"analysis", "api", "public", "demo", "main", "admin", "account", "invitations", "signin", "health", "workbooks"},
    # The application: the factory and what spans every feature.
    {"__init__", "models", "errors", "templating", "state_pages", "backup"},
)
LAYER_OF = {package: index for index, layer in enumerate(LAYERS) for package in layer}


def _package(path: Path) -> str:
    parts = path.relative_to(APP).parts
    return parts[0].removesuffix(".py")


def _imported(tree: ast.AST) -> set[str]:
    """The app packages a module imports (``from app.x import``, ``from app import x``, ``import app.x``)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and (node.module == "app" or node.module.startswith("app.")):
            parts = node.module.split(".")
            found.update([parts[1]] if len(parts) > 1 else [alias.name for alias in node.names])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[1] for alias in node.names if alias.name.startswith("app."))
    return found


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in APP.rglob("*.py"):
        package = _package(path)
        imported = _imported(ast.parse(path.read_text(encoding="utf-8"))) - {package}
        graph.setdefault(package, set()).update(imported)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one package (Tarjan's algorithm)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


def test_every_package_has_a_layer():
    graph = import_graph()
    assert not set(graph) - set(LAYER_OF), f"give these packages a layer in LAYERS: {set(graph) - set(LAYER_OF)}"


def test_no_package_imports_from_a_layer_above_its_own():
    upward = sorted(f"{package} -> {target}" for package, targets in import_graph().items() for target in targets
                    if target in LAYER_OF and LAYER_OF[target] > LAYER_OF.get(package, len(LAYERS)))
    assert not upward, "imports from a higher layer: " + ", ".join(upward)


def test_no_packages_import_each_other_in_a_loop():
    assert not _cycles(import_graph())


def test_the_check_sees_a_loop_and_an_upward_import():
    """The checks themselves can fail."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [{"a", "b", "c"}]
    tree = ast.parse("from app.review.operations import x\nfrom app import states\nimport app.jobs.queue")
    assert _imported(tree) == {"review", "states", "jobs"}
