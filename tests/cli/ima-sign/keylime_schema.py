#!/usr/bin/env python3
"""The rules of Keylime's runtime policy schema (format version 1), as its
verifier validates a policy: required members and their types, digests as
lower-case hex of a supported length keyed by absolute paths. Exit 0 when the
policy follows them, 1 with the first broken rule otherwise."""
import json
import re
import sys

HEX = re.compile(r"^[0-9a-f]+$")
DIGEST_LENGTHS = {40, 64, 96, 128}  # sha1, sha256, sha384, sha512
REQUIRED = {
    "meta": dict,
    "digests": dict,
    "excludes": list,
    "keyrings": dict,
    "ima": dict,
    "ima-buf": dict,
    "verification-keys": str,
}


def check(p):
    if not isinstance(p, dict):
        return "the policy is not an object"
    for key, kind in REQUIRED.items():
        if key not in p:
            return f"missing required member {key!r}"
        if not isinstance(p[key], kind):
            return f"{key!r} must be a {kind.__name__}"
    allowed = set(REQUIRED) | {"release", "rules"}
    extra = set(p) - allowed
    if extra:
        return f"unknown members {sorted(extra)}"
    meta = p["meta"]
    if meta.get("version") != 1 or not isinstance(meta.get("version"), int):
        return "meta.version must be the integer 1"
    if "generator" in meta and not isinstance(meta["generator"], int):
        return "meta.generator must be an integer"
    if "timestamp" in meta and not isinstance(meta["timestamp"], str):
        return "meta.timestamp must be a string"
    if "release" in p and not isinstance(p["release"], int):
        return "release must be an integer"
    for path, digests in p["digests"].items():
        if not path.startswith("/"):
            return f"digests: {path!r} is not an absolute path"
        if not isinstance(digests, list) or not digests:
            return f"digests[{path!r}] must be a non-empty list"
        for d in digests:
            if not isinstance(d, str) or not HEX.match(d) or len(d) not in DIGEST_LENGTHS:
                return f"digests[{path!r}]: {d!r} is not a hex digest"
    for e in p["excludes"]:
        if not isinstance(e, str):
            return "excludes must hold strings (regular expressions)"
        re.compile(e)
    for name, digests in list(p["keyrings"].items()) + list(p["ima-buf"].items()):
        if not isinstance(digests, list) or not all(isinstance(d, str) and HEX.match(d) for d in digests):
            return f"{name!r}: digests must be a list of hex strings"
    ima = p["ima"]
    if not isinstance(ima.get("ignored_keyrings"), list):
        return "ima.ignored_keyrings must be a list"
    if ima.get("log_hash_alg") not in ("sha1", "sha256", "sha384", "sha512"):
        return "ima.log_hash_alg must be sha1, sha256, sha384 or sha512"
    if "dm_policy" not in ima or not (ima["dm_policy"] is None or isinstance(ima["dm_policy"], dict)):
        return "ima.dm_policy must be null or an object"
    return None


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        policy = json.load(f)
    problem = check(policy)
    if problem:
        print(f"{sys.argv[1]}: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
