/* SMCCC wrappers in the v1.0 and v1.1 styles (arm64, HVC), with a seeded bug. Checked under the kvm model's
 * smccc-1.0/1.1/1.2 and kvm profiles (docs/kvm-model.md). */
typedef unsigned long u64;

/* SMCCC 1.1 style (as arm_smccc_1_1_invoke): only x0..x3 are declared as changed. */
static inline u64 smccc11_call1(u64 fid, u64 a1)
{
	register u64 x0 asm("x0") = fid;
	register u64 x1 asm("x1") = a1;
	asm volatile("hvc #0" : "+r"(x0), "+r"(x1) : : "x2", "x3", "memory");
	return x0;
}

/* SMCCC 1.0 style: x4..x17 are unpredictable after a call, so they are declared clobbered. */
static inline u64 smccc10_call1(u64 fid, u64 a1)
{
	register u64 x0 asm("x0") = fid;
	register u64 x1 asm("x1") = a1;
	asm volatile("hvc #0" : "+r"(x0), "+r"(x1) : : "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
		     "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

/* Seeded bug: a value kept in x4 across a 1.1-style call, which 1.0 firmware may change. */
u64 psci_version_scaled(u64 scale)
{
	register u64 x4 asm("x4") = scale * 3;
	asm volatile("" : "+r"(x4));
	u64 v = smccc11_call1(0x84000000, 0);
	asm volatile("" : "+r"(x4));
	return v + x4;
}

/* The same through the 1.0-style wrapper: right under every version. */
u64 psci_version_scaled_v10(u64 scale)
{
	u64 keep = scale * 3;
	asm volatile("" : "+r"(keep));
	return smccc10_call1(0x84000000, 0) + keep;
}

/* PSCI CPU_OFF (0x84000002) does not return when it succeeds (DEN0022): like a CPU's last code in Linux, park the
 * CPU if it ever comes back. Checked, the run ends at the call; the loop after it is never run. */
void psci_cpu_off_and_park(void)
{
	smccc11_call1(0x84000002, 0);
	for (;;)
		asm volatile("" : : : "memory");
}
