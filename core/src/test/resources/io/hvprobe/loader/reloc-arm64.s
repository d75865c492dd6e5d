	.text
	.globl	caller
	.type	caller,%function
caller:
	bl	ext_func
	b	ext_tail
	adrp	x0, local_data
	add	x0, x0, :lo12:local_data
	ldrb	w1, [x0, :lo12:local_data]
	ldrh	w1, [x0, :lo12:local_data+2]
	ldr	w1, [x0, :lo12:local_data+4]
	ldr	x1, [x0, :lo12:local_data+8]
	ldr	q1, [x0, :lo12:local_data+16]
	adrp	x2, :pg_hi21_nc:local_data
	adr	x3, local_data
	movz	x4, #:abs_g0:small_value
	movz	x4, #:abs_g0_nc:local_data
	movk	x4, #:abs_g1_nc:local_data
	movk	x4, #:abs_g2_nc:local_data
	movk	x4, #:abs_g3:local_data
	movz	x5, #:abs_g1:local_data
	movz	x5, #:abs_g2:local_data
	b.eq	other_fn
	tbz	x0, #3, other_fn
	ldr	x6, literal
	adrp	x7, :got:ext_obj
	ldr	x7, [x7, #:got_lo12:ext_obj]
	ret
	.size	caller, .-caller

	.section .text.other,"ax",%progbits
	.globl	other_fn
	.type	other_fn,%function
other_fn:
	ret
	.size	other_fn, .-other_fn

	.section .rodata
	.globl	literal
	.balign	8
literal:
	.quad	local_data
	.word	local_data
	.word	local_data - .
	.quad	local_data - .

	.data
	.globl	local_data
	.type	local_data,%object
	.balign	16
local_data:
	.zero	32
	.size	local_data, 32
