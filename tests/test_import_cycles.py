"""No import cycles between Briefbot's modules (issue 15): every module-level import, function-level
(lazy) imports included, type-checking-only imports excluded, as import-linter reads them (grimp)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import grimp

ROOTS = ("bot", "summarizer")


def cycles(modules: Iterable[str], imports_of: Callable[[str], Iterable[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative: no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(sorted(imports_of(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(imports_of(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def test_the_detector_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph, lambda m: graph[m]) == [["a", "b", "c"]]
    assert cycles({"a": set(), "b": {"a"}}, lambda m: {"a": set(), "b": {"a"}}[m]) == []


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph(*ROOTS, exclude_type_checking_imports=True)
    ours = {m for m in graph.modules if m.split(".")[0] in ROOTS}

    def imports_of(module: str) -> set[str]:
        return {m for m in graph.find_modules_directly_imported_by(module) if m in ours}

    assert cycles(ours, imports_of) == []
