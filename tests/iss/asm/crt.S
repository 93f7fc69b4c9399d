/* Start-up shared by the instruction tests: stack, trap vector, pass/fail through tohost. */
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    la sp, _stack_top
    la t0, trap_entry
    csrw mtvec, t0
    li gp, 0
    j test_main

    .align 2
trap_entry:
    j test_trap_handler

/* Tests that expect traps define their own test_trap_handler; any other trap fails with 62. */
    .weak test_trap_handler
test_trap_handler:
    li gp, 62
    j fail

    .globl pass
pass:
    li t0, 1
    la t1, tohost
    sw t0, 0(t1)
1:  j 1b

/* gp holds the number of the failing check; it becomes the exit code of iss-run. */
    .globl fail
fail:
    bnez gp, 1f
    li gp, 61
1:  slli t0, gp, 1
    ori t0, t0, 1
    la t1, tohost
    sw t0, 0(t1)
2:  j 2b

    .section .tohost, "aw", @progbits
    .align 6
    .globl tohost
tohost: .word 0, 0
    .globl fromhost
fromhost: .word 0, 0
