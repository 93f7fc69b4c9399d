/* A pending interrupt is taken only when both its mie bit and mstatus.MIE are set, and then
 * immediately after the enabling CSR write. */
#include "test_macros.h"
TEST_MAIN
    li s5, 0
    li s6, 0
    li t1, CLINT_MSIP
    li t0, 1
    sw t0, 0(t1)                /* pending, nothing enabled */
    nop
    CHECK(1, s5, 0)
    csrr a1, mip
    CHECK(2, a1, 8)             /* visible in mip */
    li t0, 8
    csrw mie, t0                /* enabled in mie, but mstatus.MIE = 0 */
    nop
    CHECK(3, s5, 0)
    csrw mie, zero
    csrsi mstatus, 8            /* global enable, but masked in mie */
    nop
    CHECK(4, s5, 0)
    li t0, 8
1:  csrw mie, t0                /* now both: taken right after this instruction */
2:  addi s6, s6, 1
    CHECK(5, s5, 1)
    la t0, 2b
    CHECK_REG(6, s3, t0)
    CHECK(7, s7, 0)
    /* in the handler MIE = 0, so a still-pending interrupt does not nest */
    CHECK(8, s8, 1)
    /* mstatus.MIE cleared by csrc: no more interrupts even with msip set */
    csrci mstatus, 8
    li t1, CLINT_MSIP
    li t0, 1
    sw t0, 0(t1)
    nop
    CHECK(9, s5, 1)
    csrsi mstatus, 8            /* re-enable: taken now */
    nop
    CHECK(10, s5, 2)
    PASS

    .align 2
    .globl test_trap_handler
test_trap_handler:
    csrr s2, mcause
    csrr s3, mepc
    mv s7, s6
    addi s5, s5, 1
    /* leave msip set for a few instructions: no nested trap may happen (s8 counts entries) */
    addi s8, s8, 1
    nop
    nop
    li t3, CLINT_MSIP
    sw zero, 0(t3)
    mret
