/* mcycle/minstret count retired instructions, their user aliases agree, writes set the
 * next value seen, and the high halves carry. */
#include "test_macros.h"
TEST_MAIN
    csrr a0, minstret
    nop
    nop
    nop
    csrr a1, minstret
    sub t0, a1, a0
    CHECK(1, t0, 4)             /* 3 nops + the first csrr */
    csrr a0, mcycle
    addi t1, zero, 1
    csrr a1, mcycle
    sub t0, a1, a0
    CHECK(2, t0, 2)
    csrr a0, instret
    csrr a1, minstret
    sub t0, a1, a0
    CHECK(3, t0, 1)
    csrr a0, cycle
    csrr a1, mcycle
    sub t0, a1, a0
    CHECK(4, t0, 1)
    li t1, 1000
    csrw minstret, t1           /* the write replaces this instruction's increment */
    csrr a0, minstret
    CHECK(5, a0, 1000)
    li t1, -2
    csrw minstreth, zero
    csrw minstret, t1           /* 0x00000000_fffffffe */
    nop
    nop
    csrr a0, minstret
    csrr a1, minstreth
    CHECK(6, a0, 0)             /* 0xfffffffe + 2 retired: carried into the high half */
    CHECK(7, a1, 1)
    csrr a1, instreth
    CHECK(8, a1, 1)
    li t1, 5
    csrw mcycleh, t1
    csrr a1, mcycleh
    CHECK(9, a1, 5)
    csrr a1, cycleh
    CHECK(10, a1, 5)
    /* traps do not retire: an ecall costs nothing in minstret */
    csrr a0, minstret
    ecall
    csrr a1, minstret
    sub t0, a1, a0
    CHECK(11, t0, 1 + 8)        /* first csrr + trap_entry jump + 7 handler instructions */
    PASS

    .align 2
    .globl test_trap_handler
test_trap_handler:
    csrr t3, mepc
    addi t3, t3, 4
    csrw mepc, t3
    nop
    nop
    nop
    mret
