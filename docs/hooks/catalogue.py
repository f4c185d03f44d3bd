"""MkDocs hook: the module catalogue, generated from the module READMEs at build time.

Every `modules/<name>/README.md` and `infra/registry/modules/<name>/README.md` becomes the page
`catalogue/<name>.md` (nothing is copied into docs/), and `catalogue/index.md` lists them with
their address, version (the CHANGELOG's first release heading), summary and interface size. The
nav entry whose page is `catalogue/index.md` gets the module pages as children. Links in a README
are rewritten for the site: to another module's README -> its catalogue page, into docs/ -> that
page, anything else in the repository -> the repository browser (`repo_url`).

With MODREG_DOCS_EXPORT=<dir> set, every page's final Markdown (generated pages included) is also
written to <dir>/<page path>, which is what the Confluence publisher uploads (tests/docs/check.sh).
"""
from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path

from mkdocs.structure.files import File

MODULE_GLOBS = ("modules/*/README.md", "infra/registry/modules/*/README.md")
CATALOGUE = "catalogue"
# The address the release workflow publishes a module's tags under (`<name>/v<semver>`).
NAMESPACE, SYSTEM = "platform", "aws"
LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)")
RELEASE = re.compile(r"^## \[?(\d+\.\d+\.\d+[^\]\s]*)\]?", re.M)


def _repo(config) -> Path:
    return Path(config["docs_dir"]).resolve().parent


def _modules(repo: Path) -> list[tuple[str, Path]]:
    """(name, module dir) for every module with a README, in name order."""
    found = {}
    for pattern in MODULE_GLOBS:
        for readme in sorted(repo.glob(pattern)):
            name = readme.parent.name
            if name in found:
                raise ValueError(f"two modules are called {name}: {found[name]} and {readme.parent}")
            found[name] = readme.parent
    return sorted(found.items())


def _table_rows(text: str, heading: str) -> int:
    """Rows of the generated table under `### <heading>` (0 when the section says none)."""
    match = re.search(rf"^### {heading}\n(.*?)(?=^### |<!-- END_MODREG_DOCS -->|\Z)", text, re.M | re.S)
    if not match:
        return 0
    rows = [line for line in match.group(1).splitlines() if line.startswith("| ")]
    return max(len(rows) - 1, 0)  # minus the header row


def _summary(text: str) -> str:
    """The first paragraph after the title, as one line, cut at its first sentence."""
    body = text.split("\n", 1)[1] if "\n" in text else ""
    paragraph = next((p for p in body.strip().split("\n\n") if p and not p.startswith(("#", "```", "|"))), "")
    line = " ".join(paragraph.split())
    sentence = re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0]
    return sentence.replace("|", "\\|")


def _rewrite_links(text: str, module_dir: Path, repo: Path, modules: dict[Path, str], repo_url: str) -> str:
    docs = repo / "docs"

    def fix(match: re.Match) -> str:
        label, target = match.group(1), match.group(2)
        if re.match(r"^[a-z]+:|^#|^/", target):
            return match.group(0)
        path, _, anchor = target.partition("#")
        resolved = (module_dir / path).resolve()
        suffix = f"#{anchor}" if anchor else ""
        if resolved in modules or (resolved.name == "README.md" and resolved.parent in modules):
            name = modules.get(resolved) or modules[resolved.parent]
            return f"[{label}]({name}.md{suffix})"
        if resolved.is_relative_to(docs) and resolved.suffix == ".md":
            return f"[{label}]({posixpath.relpath(resolved.relative_to(docs).as_posix(), CATALOGUE)}{suffix})"
        if not resolved.is_relative_to(repo) or not resolved.exists():
            raise ValueError(f"{module_dir}/README.md links to {target}, which does not exist in the repository")
        kind = "tree" if resolved.is_dir() else "blob"
        return f"[{label}]({repo_url.rstrip('/')}/{kind}/main/{resolved.relative_to(repo).as_posix()}{suffix})"

    return LINK.sub(fix, text)


def _module_page(name: str, module_dir: Path, repo: Path, modules: dict[Path, str], repo_url: str) -> str:
    text = (module_dir / "README.md").read_text(encoding="utf-8")
    where = module_dir.relative_to(repo).as_posix()
    note = (
        f"\n\n*Generated from `{where}/README.md` when the site is built; edit that file, not this page. "
        f"Inputs and outputs come from `modreg docs {where}`.*\n"
    )
    title, _, rest = text.partition("\n")
    return title + note + _rewrite_links(rest, module_dir, repo, modules, repo_url)


def _index_page(repo: Path, entries: list[tuple[str, Path]]) -> str:
    lines = [
        "# Module catalogue",
        "",
        "Every module the registry serves, generated from the module READMEs each time the site is "
        "built (`docs/hooks/catalogue.py`), so it cannot drift from them. Consumers install a module "
        "as `source = \"registry.internal/<address>\"` with a `version` constraint; the Inputs and "
        "outputs section of each page is what `modreg validate` checks a call against.",
        "",
        "| Module | Address | Version | Inputs | Outputs | What it is |",
        "|---|---|---|---:|---:|---|",
    ]
    for name, module_dir in entries:
        text = (module_dir / "README.md").read_text(encoding="utf-8")
        changelog = module_dir / "CHANGELOG.md"
        release = RELEASE.search(changelog.read_text(encoding="utf-8")) if changelog.is_file() else None
        lines.append(
            f"| [{name}]({name}.md) | `{NAMESPACE}/{name}/{SYSTEM}` | {release.group(1) if release else 'unreleased'} | "
            f"{_table_rows(text, 'Inputs')} | {_table_rows(text, 'Outputs')} | {_summary(text)} |"
        )
    lines += ["", f"{len(entries)} modules. Sources: `modules/*/` and `infra/registry/modules/*/`.", ""]
    return "\n".join(lines)


def on_config(config):
    entries = _modules(_repo(config))
    children = [f"{CATALOGUE}/index.md"] + [{name: f"{CATALOGUE}/{name}.md"} for name, _ in entries]

    def expand(items):
        out = []
        for item in items:
            if isinstance(item, dict):
                (title, value), = item.items()
                if value == f"{CATALOGUE}/index.md":
                    item = {title: children}
                elif isinstance(value, list):
                    item = {title: expand(value)}
            out.append(item)
        return out

    if config["nav"]:
        config["nav"] = expand(config["nav"])
    return config


def on_files(files, config):
    repo = _repo(config)
    entries = _modules(repo)
    by_dir = {module_dir.resolve(): name for name, module_dir in entries}
    repo_url = config.get("repo_url") or ""
    for name, module_dir in entries:
        files.append(File.generated(config, f"{CATALOGUE}/{name}.md",
                                    content=_module_page(name, module_dir, repo, by_dir, repo_url)))
    files.append(File.generated(config, f"{CATALOGUE}/index.md", content=_index_page(repo, entries)))
    return files


def on_page_markdown(markdown, page, config, files):
    export = os.environ.get("MODREG_DOCS_EXPORT")
    if export:
        target = Path(export) / page.file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    return markdown
