"""A contract type import-linter lacks: no import cycles between modules.

import-linter's `acyclic_siblings` compares whole packages, so it would flag two folders
that use each other at all; the rule here is finer: no module may import, directly or
through others, a module that imports it back. Registered in pyproject.toml
(`[tool.importlinter] contract_types`) and run by tests/unit/test_architecture.py.
"""

from __future__ import annotations

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class AcyclicModulesContract(Contract):
    type_name = "acyclic_modules"

    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        cycles: dict[frozenset[str], list[str]] = {}
        for package in self.packages:  # type: ignore[attr-defined]
            inside = {package} | graph.find_descendants(package)
            for module in sorted(inside):
                for imported in sorted(graph.find_modules_directly_imported_by(module) & inside):
                    back = graph.find_shortest_chain(importer=imported, imported=module)
                    if back is not None:
                        cycle = [module, *back]
                        cycles.setdefault(frozenset(cycle), cycle)
        return ContractCheck(kept=not cycles, warnings=None, metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"].values():
            output.print_error(" -> ".join(cycle), bold=False)
            output.new_line()
