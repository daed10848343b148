#!/usr/bin/env python3
"""Synthetic IMA measurement lists and the PCR files that go with them, for
comparing `ima_measurement` between evmctl and imaevm-evmctl.

gen_measurements.py OUTDIR SIGNED_FILE SIGNATURE_HEX
writes OUTDIR/<name>.list and OUTDIR/<name>.<bank>.pcrs files (see main()).
"""
import hashlib
import os
import struct
import sys

HASHES = ("sha1", "sha256")


def field(b):
    return struct.pack("<I", len(b)) + b


def dng(algo, data):
    return field(algo.encode() + b":\0" + hashlib.new(algo, data).digest())


def name(s):
    return field(s.encode() + b"\0")


class Entry:
    def __init__(self, template, data, pcr=10, violation=False, ima_name=None):
        self.template, self.data, self.pcr, self.violation = template, data, pcr, violation
        self.ima_name = ima_name  # template "ima": (digest, name)

    def hashed(self):
        if self.template == "ima":
            d, n = self.ima_name
            return d + n.encode().ljust(256, b"\0")
        return self.data

    def digest(self):
        return b"\0" * 20 if self.violation else hashlib.sha1(self.hashed()).digest()

    def raw(self, digest=None, pcr=None, name_len=None):
        t = self.template.encode()
        out = struct.pack("<I", self.pcr if pcr is None else pcr) + (digest or self.digest())
        out += struct.pack("<I", len(t) if name_len is None else name_len) + t
        if self.template == "ima":
            d, n = self.ima_name
            return out + d + struct.pack("<I", len(n)) + n.encode()
        return out + struct.pack("<I", len(self.data)) + self.data


def ng(path, content, template="ima-ng", sig=b"", pcr=10):
    data = dng("sha256", content) + name(path)
    if template == "ima-sig":
        data += field(sig)
    return Entry(template, data, pcr)


def replay(entries, rule):
    """PCR values per bank as a kernel extends them (violations as all ones)."""
    banks = {}
    for algo in HASHES:
        size = hashlib.new(algo).digest_size
        pcrs = {}
        for e in entries:
            if e.violation:
                d = b"\xff" * size if rule == "per-bank" else (b"\xff" * 20).ljust(size, b"\0")
            elif rule == "per-bank":
                d = hashlib.new(algo, e.hashed()).digest()
            else:
                d = e.digest().ljust(size, b"\0")
            old = pcrs.get(e.pcr, b"\0" * size)
            pcrs[e.pcr] = hashlib.new(algo, old + d).digest()
        banks[algo] = pcrs
    return banks


def write_pcrs(path, pcrs, size):
    with open(path, "w") as f:
        for i in range(24):
            f.write("PCR-%02d: %s\n" % (i, pcrs.get(i, b"\0" * size).hex()))


def write_case(out, case, entries, rule="per-bank", raw=None, pcr_entries=None):
    with open(f"{out}/{case}.list", "wb") as f:
        f.write(raw if raw is not None else b"".join(e.raw() for e in entries))
    banks = replay(pcr_entries if pcr_entries is not None else entries, rule)
    for algo in HASHES:
        write_pcrs(f"{out}/{case}.{algo}.pcrs", banks[algo], hashlib.new(algo).digest_size)


def main():
    out, signed, sig_hex = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(out, exist_ok=True)
    content = open(signed, "rb").read()
    boot = Entry("ima-ng", dng("sha256", b"boot") + name("boot_aggregate"))
    files = [ng(f"/usr/bin/tool{i}", os.urandom(100 + i)) for i in range(12)]
    sig = ng(signed, content, "ima-sig", bytes.fromhex(sig_hex))
    nosig = ng("/etc/passwd", b"x", "ima-sig")
    other_pcr = ng("/boot/vmlinuz", b"kernel", pcr=11)
    good = [boot] + files[:6] + [sig, nosig, other_pcr] + files[6:]
    write_case(out, "good", good)
    write_case(out, "padded", good, rule="padded")
    viol = good[:4] + [Entry("ima-ng", dng("sha256", b"v") + name("/tmp/raced"), violation=True)] + good[4:]
    write_case(out, "violation", viol)
    write_case(out, "violation-padded", viol, rule="padded")
    # the list holds entries measured after the PCRs were read
    write_case(out, "longer", good, pcr_entries=good[:8])
    # a template digest that does not match its data
    bad = list(good)
    raw = b"".join(e.raw() if i != 3 else e.raw(digest=b"\x42" * 20) for i, e in enumerate(bad))
    write_case(out, "bad-digest", bad, raw=raw)
    # the PCRs do not match at all
    write_case(out, "mismatch", good, pcr_entries=files[:3])
    # the original "ima" template
    ima = [Entry("ima", None, ima_name=(hashlib.sha1(b"%d" % i).digest(), f"/sbin/p{i}")) for i in range(6)]
    write_case(out, "ima-template", ima)
    # malformed lists: truncated anywhere, bad PCR, bad name lengths, mixed templates
    blob = b"".join(e.raw() for e in good)
    write_case(out, "truncated-early", good, raw=blob[:len(good[0].raw()) + 10])
    write_case(out, "truncated-late", good, raw=blob[:-7])
    write_case(out, "bad-pcr", good, raw=good[0].raw() + good[1].raw(pcr=24))
    write_case(out, "long-name", good, raw=good[0].raw() + good[1].raw(name_len=300))
    write_case(out, "zero-name", good, raw=good[0].raw() + good[1].raw(name_len=0))
    write_case(out, "mixed", good, raw=good[0].raw() + ima[0].raw())
    write_case(out, "empty", [], raw=b"")


if __name__ == "__main__":
    main()
