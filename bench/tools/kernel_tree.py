#!/usr/bin/env python3
"""Summarises a whole kernel-module tree for docs/BENCHMARKS.md: which modules hold hypercalls, by form.

Input: the JSON of `hvprobe scan TREE --format json` (the trap sites hvprobe finds, with their form, port detail
and whether they sit in ALTERNATIVE replacement code) and the tree itself, whose modules' symbol tables say which
ones refer to a hypercall page (Hyper-V's hv_hypercall_pg, Xen's hypercall_page / xen_hypercall_*): those call
the hypervisor through a page the kernel fills at boot, so no trap instruction is in the module. Every line is a
fact about the code (a form found, a symbol referenced), not a finding.

usage: kernel_tree.py SCAN.json TREE
"""
import json
import lzma
import os
import struct
import sys
from collections import defaultdict

PAGE_SYMBOLS = {
    "hv_hypercall_pg": "Hyper-V hypercall page (hv_hypercall_pg)",
    "hypercall_page": "Xen hypercall page (hypercall_page)",
}
PAGE_PREFIXES = {"xen_hypercall_": "Xen hypercall page (hypercall_page)",
                 "__SCT__xen_hypercall": "Xen hypercall page (hypercall_page)"}


def undefined_symbols(path):
    """Names of the undefined symbols of an ELF64 LE relocatable (plain or .xz)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] == b"\xfd7zXZ\x00":
        data = lzma.decompress(data)
    if data[:4] != b"\x7fELF":
        return set()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names = set()
    for (_, typ, _, _, off, size, link, _, _, entsize) in sections:
        if typ != 2 or entsize == 0:  # SHT_SYMTAB
            continue
        stroff = sections[link][4]
        for i in range(size // entsize):
            name, _, _, shndx, _, _ = struct.unpack_from("<IBBHQQ", data, off + i * entsize)
            if shndx == 0 and name:
                end = data.index(b"\0", stroff + name)
                names.add(data[stroff + name:end].decode("utf-8", "replace"))
    return names


def family(site):
    form, kind, detail = site["form"], site["kind"], site.get("detail", "")
    where = " (ALTERNATIVE replacement)" if site["alternative"] else ""
    if form in ("IN", "OUT", "INS", "OUTS"):
        if kind == "hypercall":
            return "VMware backdoor: port I/O on 0x5658/0x5659" + where
        return None  # device I/O, counted apart
    return {
        "VMCALL": "VMCALL (Intel: KVM, Hyper-V isolation, VMware backdoor; which one is decided at run time)",
        "VMMCALL": "VMMCALL (AMD: KVM, Hyper-V SEV-SNP, VMware backdoor; decided at run time)",
        "TDCALL": "TDX TDCALL",
        "CPUID": "CPUID (CPU query, no backdoor)",
        "RDPMC": "RDPMC (CPU query)",
        "HVC": "arm64 HVC (SMCCC: KVM, Hyper-V, firmware)",
        "SMC": "arm64 SMC (SMCCC firmware calls)",
        "MRS": "arm64 MRS of a trapped register (VMware arm64 backdoor)",
        "MSR": "arm64 MSR of a trapped register (VMware arm64 backdoor)",
        "BRK": "arm64 BRK outside BUG()/WARN()",
    }.get(form, form) + where


def main():
    scan, tree = sys.argv[1], sys.argv[2]
    with open(scan) as f:
        objects = json.load(f)["objects"]
    by_family = defaultdict(set)
    device_io = set()
    for o in objects:
        name = os.path.basename(o["object"])
        for s in o["sites"]:
            fam = family(s)
            if fam is None:
                device_io.add(name)
            else:
                by_family[fam].add(name)
    for root, _, files in os.walk(tree):
        for fn in files:
            if not (fn.endswith(".ko") or fn.endswith(".ko.xz")):
                continue
            for sym in undefined_symbols(os.path.join(root, fn)):
                label = PAGE_SYMBOLS.get(sym) or next((v for k, v in PAGE_PREFIXES.items() if sym.startswith(k)), None)
                if label:
                    by_family[label + " referenced"].add(fn)
    with_sites = {os.path.basename(o["object"]) for o in objects if o["sites"]}
    print(f"modules: {len(objects)}; with trap sites of any kind: {len(with_sites)}; with device I/O sites:"
          f" {len(device_io)}")
    print()
    print("| form | modules | which |")
    print("|---|---|---|")
    for fam in sorted(by_family):
        mods = sorted(m.removesuffix(".xz").removesuffix(".ko") for m in by_family[fam])
        shown = ", ".join(mods[:12]) + (f", ... ({len(mods) - 12} more)" if len(mods) > 12 else "")
        print(f"| {fam} | {len(mods)} | {shown} |")
    print(f"| device I/O (ports no model claims) | {len(device_io)} | |")


if __name__ == "__main__":
    main()
