#!/usr/bin/python3
"""The peer users write today: the two benchmark workloads in Python with Debian's python3-unicorn and
python3-capstone.

    uc_peer.py ARCH WORKLOAD GUEST.bin ENTRY_OFFSET N REPS [TRACE_FILE]

Same guest bytes, same N and same call set-up as bench/peers/uc_peer.c:
  hypercall  hc_loop(N): a UC_HOOK_CODE on the exact trap address reads the inputs, answers GETVERSION
             (EAX/X0 = 6, EBX/X1 = magic, ECX/X2 = 2; otherwise EAX/X0 = 0xFFFFFFFF), moves the PC past the trap
             and appends (pc, command, result) to a hypercall log;
  trace      trace_loop(N): a UC_HOOK_CODE on every instruction reads all general registers (the same 18 / 34
             as hvprobe's snapshot), disassembles the instruction with capstone (cached per address) and writes
             one JSON line per instruction with the registers that changed to TRACE_FILE.
Register reads are one reg_read call per register: the python3-unicorn 2.0.1 binding has no reg_read_batch
(checked at start-up; the batch call is used where a newer binding has it).
Prints one JSON line like the C peer.
"""
import json
import sys
import time

import capstone
import unicorn
from unicorn import arm64_const as A
from unicorn import x86_const as X

CODE_BASE = 0x10000000
STACK_BASE = 0x7FF00000
STACK_SIZE = 0x10000
SENTINEL = 0x7FE00000
MAGIC = 0x564D5868

X86_REGS = [X.UC_X86_REG_RAX, X.UC_X86_REG_RBX, X.UC_X86_REG_RCX, X.UC_X86_REG_RDX, X.UC_X86_REG_RSI,
            X.UC_X86_REG_RDI, X.UC_X86_REG_RBP, X.UC_X86_REG_RSP, X.UC_X86_REG_R8, X.UC_X86_REG_R9,
            X.UC_X86_REG_R10, X.UC_X86_REG_R11, X.UC_X86_REG_R12, X.UC_X86_REG_R13, X.UC_X86_REG_R14,
            X.UC_X86_REG_R15, X.UC_X86_REG_RIP, X.UC_X86_REG_RFLAGS]
X86_NAMES = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13",
             "r14", "r15", "rip", "rflags"]
ARM64_REGS = [getattr(A, "UC_ARM64_REG_X%d" % i) for i in range(31)] + [A.UC_ARM64_REG_SP, A.UC_ARM64_REG_PC,
                                                                         A.UC_ARM64_REG_NZCV]
ARM64_NAMES = ["x%d" % i for i in range(31)] + ["sp", "pc", "nzcv"]


def main(argv):
    if len(argv) not in (7, 8):
        sys.exit("usage: uc_peer.py x86_64|arm64 hypercall|trace GUEST.bin ENTRY_OFFSET N REPS [TRACE_FILE]")
    arch, workload, guest, entry_off, n, reps = argv[1], argv[2], argv[3], int(argv[4], 0), int(argv[5], 0), int(argv[6])
    trace_file = argv[7] if len(argv) == 8 else "/dev/null"
    x86 = arch == "x86_64"
    if arch not in ("x86_64", "arm64") or workload not in ("hypercall", "trace"):
        sys.exit("uc_peer.py: bad arch or workload")
    code = open(guest, "rb").read()
    entry = CODE_BASE + entry_off

    uc = unicorn.Uc(unicorn.UC_ARCH_X86, unicorn.UC_MODE_64) if x86 else unicorn.Uc(unicorn.UC_ARCH_ARM64,
                                                                                     unicorn.UC_MODE_ARM)
    uc.mem_map(CODE_BASE, (len(code) + 0xFFF) & ~0xFFF, unicorn.UC_PROT_READ | unicorn.UC_PROT_EXEC)
    uc.mem_write(CODE_BASE, code)
    uc.mem_map(STACK_BASE, STACK_SIZE, unicorn.UC_PROT_READ | unicorn.UC_PROT_WRITE)
    uc.mem_map(SENTINEL, 0x1000, unicorn.UC_PROT_READ | unicorn.UC_PROT_EXEC)

    state = {"ops": 0}
    log = []
    regs = X86_REGS if x86 else ARM64_REGS
    names = X86_NAMES if x86 else ARM64_NAMES
    batch = getattr(uc, "reg_read_batch", None)
    read = uc.reg_read

    if workload == "hypercall":
        if x86:
            site = CODE_BASE + code.index(b"\xed", entry_off)
            eax, ebx, ecx, edx, pc_reg, length = (X.UC_X86_REG_RAX, X.UC_X86_REG_RBX, X.UC_X86_REG_RCX,
                                                  X.UC_X86_REG_RDX, X.UC_X86_REG_RIP, 1)
        else:
            off = entry_off
            while code[off:off + 4] != b"\x1f\x01\x33\xd5":
                off += 4
            site = CODE_BASE + off
            eax, ebx, ecx, edx, pc_reg, length = (A.UC_ARM64_REG_X0, A.UC_ARM64_REG_X1, A.UC_ARM64_REG_X2,
                                                  A.UC_ARM64_REG_X3, A.UC_ARM64_REG_PC, 4)

        def on_trap(u, address, size, user):
            magic = u.reg_read(eax) & 0xFFFFFFFF
            cmd = u.reg_read(ecx) & 0xFFFF
            port = u.reg_read(edx) & 0xFFFF
            ok = magic == MAGIC and cmd == 10 and port == 0x5658
            if not x86:
                ok = ok and u.reg_read(A.UC_ARM64_REG_X7) == 0x000000860000000E
            if ok:
                u.reg_write(eax, 6)
                u.reg_write(ebx, MAGIC)
                u.reg_write(ecx, 2)
            else:
                u.reg_write(eax, 0xFFFFFFFF)
            u.reg_write(pc_reg, address + length)
            log.append((address, cmd, 6 if ok else 0xFFFFFFFF))
            state["ops"] += 1

        uc.hook_add(unicorn.UC_HOOK_CODE, on_trap, begin=site, end=site)
    else:
        md = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_64) if x86 else capstone.Cs(capstone.CS_ARCH_ARM64,
                                                                                            capstone.CS_MODE_ARM)
        cache = {}
        prev = [None]

        def on_insn(u, address, size, user):
            values = batch(regs) if batch else [read(r) for r in regs]
            text = cache.get(address)
            if text is None:
                insn = next(md.disasm(bytes(u.mem_read(address, size)), address))
                text = cache[address] = json.dumps("%s %s" % (insn.mnemonic, insn.op_str))
            before = prev[0]
            if before is None:
                before = [None] * len(values)
            changed = ",".join('"%s":"%#x"' % (names[i], v) for i, v in enumerate(values) if v != before[i])
            out.write('{"i":%d,"pc":"%#x","asm":%s,"regs":{%s}}\n' % (state["ops"], address, text, changed))
            prev[0] = values
            state["ops"] += 1

        uc.hook_add(unicorn.UC_HOOK_CODE, on_insn, begin=CODE_BASE, end=CODE_BASE + len(code) - 1)

    times = []
    per_run = None
    result = 0
    for _ in range(reps):
        sp = STACK_BASE + STACK_SIZE - 0x100
        if x86:
            sp -= 8
            uc.mem_write(sp, SENTINEL.to_bytes(8, "little"))
            uc.reg_write(X.UC_X86_REG_RSP, sp)
            uc.reg_write(X.UC_X86_REG_RDI, n)
            uc.reg_write(X.UC_X86_REG_RIP, entry)
        else:
            uc.reg_write(A.UC_ARM64_REG_SP, sp)
            uc.reg_write(A.UC_ARM64_REG_X0, n)
            uc.reg_write(A.UC_ARM64_REG_X30, SENTINEL)
            uc.reg_write(A.UC_ARM64_REG_PC, entry)
        state["ops"] = 0
        del log[:]
        if workload == "trace":
            prev[0] = None
        with open(trace_file, "w", buffering=1 << 16) as out:
            t0 = time.perf_counter()
            uc.emu_start(entry, SENTINEL)
            times.append(time.perf_counter() - t0)
        pc = uc.reg_read(X.UC_X86_REG_RIP if x86 else A.UC_ARM64_REG_PC)
        if pc != SENTINEL:
            sys.exit("uc_peer.py: stopped at %#x, not at the return" % pc)
        result = uc.reg_read(X.UC_X86_REG_RAX if x86 else A.UC_ARM64_REG_X0)
        if per_run is not None and state["ops"] != per_run:
            sys.exit("uc_peer.py: operation count changed between runs")
        per_run = state["ops"]
    if workload == "hypercall" and (per_run != n or result & 0xFFFFFFFF != 6 or len(log) != n):
        sys.exit("uc_peer.py: expected %d GETVERSION answers returning 6, saw %d returning %d" % (n, per_run, result))
    if workload == "trace" and per_run != 5 * n + 5:
        sys.exit("uc_peer.py: expected %d traced instructions, saw %d" % (5 * n + 5, per_run))
    times.sort()
    print(json.dumps({"peer": "python", "arch": arch, "workload": workload, "n": n, "ops": per_run, "reps": reps,
                      "median_s": times[len(times) // 2], "best_s": times[0], "result": result,
                      "reg_read": "batch" if batch else "per-register"}))


if __name__ == "__main__":
    main(sys.argv)
