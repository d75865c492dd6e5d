	.text
	.globl	caller
	.type	caller,@function
caller:
	call	ext_func
	movl	local_data(%rip), %eax
	movq	ext_obj@GOTPCREL(%rip), %rax
	call	*ext_fn2@GOTPCREL(%rip)
	movl	$local_data, %eax
	movq	$local_data, %rax
	movabsq	$local_data, %rax
	.reloc	.+3, R_X86_64_GOTPCREL, ext_obj2
	movq	0(%rip), %rax
	call	__x86_indirect_thunk_r11
	ret
	.size	caller, .-caller

	.section .rodata
	.globl	table
table:
	.quad	local_data - .
	.quad	ext_func
	.quad	ext_obj2

	.data
	.globl	local_data
	.type	local_data,@object
local_data:
	.quad	0x1122334455667788
	.size	local_data, 8
