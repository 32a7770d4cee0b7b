# rows.s - line-table rows as a block-ids build writes them, by hand
# (tests/plugin/prof_blocks.t): the discriminator of each row is its block's
# id, and .olayout.blockids lists main. Block 2 (run once) ends in a jump
# over the loop's body, a block with no row of its own (run 1000 times),
# which lies in block 2's row; block 4's row is empty (block 5's row starts
# at its address): it has no instruction. Block 5 (run once) ends in a jump
# over a second loop's body, which has no location of its own either but a
# row of its own repeating block 5's id (as GCC writes for a lone `ret`
# after a block: the location before it again, is_stmt 0).
	.file 1 "rows.c"
	.text
	.globl main
	.type main, @function
main:
	.loc 1 10 0 discriminator 2
	xorl %ecx, %ecx
	jmp .Lcheck
.Lloop:
	addl $1, %ecx
.Lcheck:
	.loc 1 11 0 discriminator 3
	cmpl $1000, %ecx
	jl .Lloop
	.loc 1 12 0 discriminator 4
	.loc 1 13 0 discriminator 5
	xorl %eax, %eax
	jmp .Lcheck2
.Lloop2:
	.loc 1 13 0 is_stmt 0 discriminator 5
	addl $1, %eax
.Lcheck2:
	.loc 1 14 0 is_stmt 1 discriminator 6
	cmpl $1000, %eax
	jl .Lloop2
	.loc 1 15 0 discriminator 7
	xorl %eax, %eax
	ret
	.size main, .-main
	.section .olayout.blockids,"",@progbits
	.string "main"
	.section .note.GNU-stack,"",@progbits
