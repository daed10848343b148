#!/usr/bin/env python3
"""The house rules of ARCHITECTURE.md, checked on the tree as it is:

1. The libraries form a graph without cycles (from the CMake files: each
   add_library target and the imaevm_* targets it links), and no library
   links the command-line plumbing (imaevm_cli): only cli/ folders do.
2. A library's sources include only headers of their own folder, of core,
   and of the libraries their target links (directly or not); no header of
   a cli/ folder is included from outside that folder (tests/ aside: a test
   may compile a tool's argv parser).
3. Library code leaves the process alone: no printing to stdout/stderr, no
   setenv/unsetenv/putenv, umask, setrlimit, getopt or exit.

Usage: check_layout.py SOURCE_DIR. Prints each breach on a line of its own
and exits 1 when there is any.
"""
import os
import re
import sys

top = sys.argv[1]
# folder -> the library target it defines, and the include areas ("ima/<area>/") it owns
FOLDERS = {
    "core": ("imaevm_core", None),
    "cli-common": ("imaevm_cli", None),
    "evm-tools": ("imaevm_evm", "evm"),
    "policy-gen": ("imaevm_policy", "policy"),
    "keyring": ("imaevm_keyring", "keyring"),
    "attest": ("imaevm_attest", ("measurement", "tpm", "quote", "credential", "attest")),
    "ima-sign": ("imaevm_sign", "sign"),
    "evmctl-compat": ("imaevm_evmctl", None),
}
CORE_HEADERS = set(os.listdir(os.path.join(top, "core/include/ima")))
CLI_HEADERS = set(os.listdir(os.path.join(top, "cli-common/include/ima")))
problems = []


def cmake_links(folder):
    text = open(os.path.join(top, folder, "CMakeLists.txt")).read()
    target = FOLDERS[folder][0]
    links = set()
    for m in re.finditer(r"target_link_libraries\(\s*(\S+)([^)]*)\)", text):
        if m.group(1) == target:
            links |= set(re.findall(r"\bimaevm_\w+", m.group(2)))
    return links


graph = {FOLDERS[f][0]: cmake_links(f) for f in FOLDERS}
target_folder = {v[0]: f for f, v in FOLDERS.items()}

# 1. no cycles, no library on the CLI plumbing
state = {}


def visit(node, path):
    if state.get(node) == "done":
        return
    if state.get(node) == "open":
        problems.append("library graph has a cycle: " + " -> ".join(path + [node]))
        return
    state[node] = "open"
    for dep in sorted(graph.get(node, ())):
        visit(dep, path + [node])
    state[node] = "done"


for node in sorted(graph):
    visit(node, [])
for lib, deps in graph.items():
    if lib != "imaevm_cli" and "imaevm_cli" in deps:
        problems.append(f"{lib} links imaevm_cli: the command-line plumbing is for cli/ folders only")


def closure(lib):
    seen, todo = set(), [lib]
    while todo:
        n = todo.pop()
        for d in graph.get(n, ()):
            if d not in seen:
                seen.add(d)
                todo.append(d)
    return seen


def areas_of(folder):
    a = FOLDERS[folder][1]
    return set() if a is None else ({a} if isinstance(a, str) else set(a))


area_owner = {}
for f in FOLDERS:
    for a in areas_of(f):
        area_owner[a] = f

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
FORBIDDEN = [
    (re.compile(r"\bstd::(cout|cerr|clog)\b"), "prints to stdout/stderr"),
    (re.compile(r"\b(printf|puts)\s*\("), "prints to stdout"),
    (re.compile(r"\bfprintf\s*\(\s*std(out|err)"), "prints to stdout/stderr"),
    (re.compile(r"\b(setenv|unsetenv|putenv)\s*\("), "changes the environment"),
    (re.compile(r"\bumask\s*\("), "changes the umask"),
    (re.compile(r"\bsetrlimit\s*\("), "changes resource limits"),
    (re.compile(r"\bgetopt(_long)?\s*\("), "parses argv"),
    (re.compile(r"(?<![\w.:])(exit|_exit|abort)\s*\("), "ends the process"),
]


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


for folder, (lib, _) in FOLDERS.items():
    allowed_areas = areas_of(folder)
    for dep in closure(lib):
        allowed_areas |= areas_of(target_folder.get(dep, "core")) if dep in target_folder else set()
    lib_dirs = [d for d in ("lib", "src", "include") if os.path.isdir(os.path.join(top, folder, d))]
    for d in lib_dirs:
        for root, _, files in os.walk(os.path.join(top, folder, d)):
            for name in files:
                if not name.endswith((".cpp", ".hpp")):
                    continue
                path = os.path.join(root, name)
                rel = os.path.relpath(path, top)
                text = open(path, encoding="utf-8", errors="replace").read()
                for inc in INCLUDE.findall(text):
                    if inc.startswith("ima/"):
                        parts = inc.split("/")
                        if len(parts) == 2:
                            if parts[1] in CLI_HEADERS and folder != "cli-common":
                                problems.append(f"{rel}: includes {inc}, the command-line plumbing (a library must not)")
                            elif parts[1] not in CORE_HEADERS and parts[1] not in CLI_HEADERS:
                                problems.append(f"{rel}: includes {inc}, which is no core header")
                        elif parts[1] not in allowed_areas:
                            owner = area_owner.get(parts[1], "?")
                            problems.append(f"{rel}: includes {inc} of {owner}/, a library {lib} does not link")
                    elif "/" in inc or inc.startswith(".."):
                        problems.append(f"{rel}: includes \"{inc}\" by a relative path")
                if folder == "cli-common":
                    continue  # its job is printing and process state
                code = strip_comments(text)
                for pattern, what in FORBIDDEN:
                    for m in pattern.finditer(code):
                        line = code[: m.start()].count("\n") + 1
                        problems.append(f"{rel}:{line}: library code {what} ({m.group(0).strip()})")

# No cli/ header is reached from outside its folder.
for folder in FOLDERS:
    cli = os.path.join(top, folder, "cli")
    if not os.path.isdir(cli):
        continue
    private = {n for n in os.listdir(cli) if n.endswith(".hpp")}
    for root, _, files in os.walk(top):
        # tests/ may compile a tool's cli/ sources to test them (evmctl's argv parser)
        if "/.git" in root or root.startswith(os.path.join(top, "build")) or root.startswith(cli) \
                or root.startswith(os.path.join(top, "tests")):
            continue
        for name in files:
            if not name.endswith((".cpp", ".hpp")):
                continue
            path = os.path.join(root, name)
            for inc in INCLUDE.findall(open(path, encoding="utf-8", errors="replace").read()):
                if inc in private and not os.path.exists(os.path.join(root, inc)):
                    problems.append(f"{os.path.relpath(path, top)}: includes {folder}/cli/{inc}: a tool's cli/ is private")

for p in problems:
    print(p)
if problems:
    sys.exit(1)
print("layout: %d libraries, no cycle, every include and call within the rules" % len(graph))
