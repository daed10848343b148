#!/usr/bin/env python3
"""A validator for Keylime runtime policies (format version 1), written from
the rules of Keylime's verifier (keylime 7.x: RUNTIME_POLICY_SCHEMA and
validate_runtime_policy in keylime/ima/ima.py, IMA_KEYRING_JSON_SCHEMA in
keylime/ima/file_signatures.py, TPMEngine.expects_ima_log in
keylime/verification/tpm_engine.py).

  keylime_schema.py POLICY            exit 0 when Keylime accepts the policy
  keylime_schema.py --acted-on POLICY also what makes Keylime act on it

Without --acted-on: what the verifier checks when a policy is uploaded. The
members meta, release, digests, excludes, keyrings, ima, ima-buf and
verification-keys are required, other members allowed; meta.version is an
integer >= 0 and meta.generator an integer 0..3 (timestamp, when present, a
string); release an integer >= 0; digests, keyrings and ima-buf map any
name to a non-empty list of lower-case hex strings of 40 to 128 digits;
excludes a list of strings; ima holds ignored_keyrings (strings),
log_hash_alg (sha1, sha256, sha384 or sha512) and dm_policy, which must be
null; verification-keys is a string, and when not empty the JSON text of one
keyring: {"keyids": [integers], "pubkeys": [strings]} (meta.version >= 1 if
given). JSON booleans are not integers.

With --acted-on, also what decides whether Keylime uses the policy at all
and whether its entries can ever match: meta.generator above 1 (a push-mode
verifier asks for neither the IMA list nor PCR 10 otherwise), every digest of
a real hash's length (40, 64, 96 or 128 digits: others never match), the
excludes compile as one Python regular expression (else the verifier drops
all of them), and each verification key is base64 DER SubjectPublicKeyInfo of
an RSA or EC key (others are dropped), one key id per key."""
import base64
import json
import re
import subprocess
import sys

HEX = re.compile(r"^[0-9a-f]{40,128}$")
HASH_LENGTHS = {40, 64, 96, 128}
REQUIRED = ("meta", "release", "digests", "excludes", "keyrings", "ima", "ima-buf", "verification-keys")


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def check_digests(name, value):
    if not isinstance(value, dict):
        return f"{name} must be an object"
    for key, digests in value.items():
        if not isinstance(digests, list) or not digests:
            return f"{name}[{key!r}] must be a non-empty list"
        for d in digests:
            if not isinstance(d, str) or not HEX.match(d):
                return f"{name}[{key!r}]: {d!r} is not 40 to 128 lower-case hex digits"
    return None


def check_keyring(text):
    try:
        ring = json.loads(text)
    except ValueError as e:
        return f"verification-keys is not JSON: {e}"
    if not isinstance(ring, dict):
        return "verification-keys must hold a JSON object"
    for key in ("keyids", "pubkeys"):
        if key not in ring:
            return f"verification-keys: missing {key!r}"
        if not isinstance(ring[key], list):
            return f"verification-keys: {key!r} must be a list"
    if not all(is_int(k) for k in ring["keyids"]):
        return "verification-keys: keyids must be integers"
    if not all(isinstance(k, str) for k in ring["pubkeys"]):
        return "verification-keys: pubkeys must be strings"
    meta = ring.get("meta")
    if meta is not None:
        if not isinstance(meta, dict):
            return "verification-keys: meta must be an object"
        if "version" in meta and not (is_int(meta["version"]) and meta["version"] >= 1):
            return "verification-keys: meta.version must be an integer >= 1"
    return None


def check(p):
    """The first rule the policy breaks at upload, or None."""
    if not isinstance(p, dict):
        return "the policy is not an object"
    for key in REQUIRED:
        if key not in p:
            return f"missing required member {key!r}"
    meta = p["meta"]
    if not isinstance(meta, dict):
        return "meta must be an object"
    for key in ("version", "generator"):
        if key not in meta:
            return f"meta: missing required member {key!r}"
    if not (is_int(meta["version"]) and meta["version"] >= 0):
        return "meta.version must be an integer >= 0"
    if not (is_int(meta["generator"]) and 0 <= meta["generator"] <= 3):
        return "meta.generator must be an integer from 0 to 3"
    if "timestamp" in meta and not isinstance(meta["timestamp"], str):
        return "meta.timestamp must be a string"
    if not (is_int(p["release"]) and p["release"] >= 0):
        return "release must be an integer >= 0"
    for name in ("digests", "keyrings", "ima-buf"):
        problem = check_digests(name, p[name])
        if problem:
            return problem
    if not isinstance(p["excludes"], list) or not all(isinstance(e, str) for e in p["excludes"]):
        return "excludes must be a list of strings"
    ima = p["ima"]
    if not isinstance(ima, dict):
        return "ima must be an object"
    for key in ("ignored_keyrings", "log_hash_alg", "dm_policy"):
        if key not in ima:
            return f"ima: missing required member {key!r}"
    if not isinstance(ima["ignored_keyrings"], list) or not all(isinstance(k, str) for k in ima["ignored_keyrings"]):
        return "ima.ignored_keyrings must be a list of strings"
    if ima["log_hash_alg"] not in ("sha1", "sha256", "sha384", "sha512"):
        return "ima.log_hash_alg must be sha1, sha256, sha384 or sha512"
    if ima["dm_policy"] is not None:
        return "ima.dm_policy must be null"
    if not isinstance(p["verification-keys"], str):
        return "verification-keys must be a string"
    if p["verification-keys"]:
        return check_keyring(p["verification-keys"])
    return None


def is_rsa_or_ec_spki(b64):
    try:
        der = base64.b64decode(b64, validate=True)
    except ValueError:
        return False
    out = subprocess.run(["openssl", "pkey", "-pubin", "-inform", "DER", "-noout", "-text"], input=der,
                         capture_output=True, check=False)
    if out.returncode != 0:
        return False
    text = out.stdout.decode(errors="replace")
    return "Modulus:" in text or "ASN1 OID:" in text  # RSA, or EC on a named curve


def check_acted_on(p):
    """The first reason Keylime would accept the policy but not act on it (all of it), or None."""
    if p["meta"]["generator"] <= 1:
        return f"meta.generator {p['meta']['generator']}: Keylime asks for no IMA list or PCR 10 for it"
    for name in ("digests", "keyrings", "ima-buf"):
        for key, digests in p[name].items():
            for d in digests:
                if len(d) not in HASH_LENGTHS:
                    return f"{name}[{key!r}]: {d!r} is of no hash's length and never matches"
    if p["excludes"]:
        try:
            re.compile("|".join(f"({e})" for e in p["excludes"]))
        except re.error as e:
            return f"excludes do not compile as one regular expression ({e}): Keylime ignores all of them"
    if p["verification-keys"]:
        ring = json.loads(p["verification-keys"])
        if len(ring["keyids"]) != len(ring["pubkeys"]):
            return "verification-keys: one key id per key"
        for k in ring["pubkeys"]:
            if not is_rsa_or_ec_spki(k):
                return "verification-keys: a key that is not base64 DER of an RSA or EC public key is dropped"
    return None


def main():
    args = sys.argv[1:]
    acted_on = bool(args) and args[0] == "--acted-on"
    if acted_on:
        args = args[1:]
    if len(args) != 1:
        print("usage: keylime_schema.py [--acted-on] POLICY", file=sys.stderr)
        return 2
    try:
        with open(args[0], encoding="utf-8") as f:
            policy = json.load(f)
    except ValueError as e:
        print(f"{args[0]}: not JSON: {e}", file=sys.stderr)
        return 1
    problem = check(policy)
    if not problem and acted_on:
        problem = check_acted_on(policy)
    if problem:
        print(f"{args[0]}: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
