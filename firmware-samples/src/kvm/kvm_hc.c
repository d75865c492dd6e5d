/* KVM hypercall wrappers (x86_64, VMCALL), with a seeded bug. Checked under the kvm model (docs/kvm-model.md). */

/* KVM hypercall ABI: RAX = number, RBX.. = arguments, RAX = result. */
static inline long kvm_hypercall1(unsigned long nr, unsigned long p1)
{
	long ret;
	asm volatile("vmcall" : "=a"(ret) : "a"(nr), "b"(p1) : "memory");
	return ret;
}

long kvm_yield_to(unsigned long apic)
{
	return kvm_hypercall1(11, apic);
}

/* Seeded bug: RAX is not declared written, so the compiler reuses RAX = 11 for the second call. */
long kvm_yield_twice_bad(unsigned long apic)
{
	unsigned long nr = 11;
	asm volatile("vmcall" : : "a"(nr), "b"(apic) : "memory");
	asm volatile("vmcall" : : "a"(nr), "b"(apic) : "memory");
	return 0;
}
