/* wfi sleeps until the timer interrupt: with MIE = 0 it resumes after wfi without a trap;
 * with MIE = 1 the interrupt is taken with mepc after the wfi. The host skips the idle time,
 * so mtime and mcycle jump but minstret does not. */
#include "test_macros.h"
TEST_MAIN
    li s5, 0
    li t0, 0x80
    csrw mie, t0                /* MTIE, mstatus.MIE still 0 */
    li t1, CLINT_MTIME
    lw a0, 0(t1)
    li t2, 100000
    add a0, a0, t2
    li t1, CLINT_MTIMECMP
    sw zero, 4(t1)
    sw a0, 0(t1)                /* mtimecmp = now + 100000 */
    csrr s9, minstret
    csrr s10, mcycle
    wfi
    csrr s11, minstret
    csrr a2, mcycle
    CHECK(1, s5, 0)             /* woke without a trap */
    csrr a1, mip
    CHECK(2, a1, 0x80)          /* MTIP pending */
    li t1, CLINT_MTIME
    lw a1, 0(t1)
    li gp, 3
    bltu a1, a0, fail           /* time advanced to mtimecmp */
    sub t0, s11, s9
    CHECK(4, t0, 3)             /* two csrr and the wfi retired in between */
    sub t0, a2, s10
    li gp, 5
    li t3, 90000
    bltu t0, t3, fail           /* mcycle counted the sleep */
    /* second sleep, interrupts on */
    lw a0, 0(t1)
    addi a0, a0, 1000
    li t1, CLINT_MTIMECMP
    sw a0, 0(t1)
    csrsi mstatus, 8
1:  wfi
2:  nop
    CHECK(6, s5, 1)
    CHECK(7, s2, 0x80000007)
    la t0, 2b
    CHECK_REG(8, s3, t0)
    PASS

    .align 2
    .globl test_trap_handler
test_trap_handler:
    csrr s2, mcause
    csrr s3, mepc
    addi s5, s5, 1
    li t3, CLINT_MTIMECMP
    li t4, -1
    sw t4, 4(t3)
    sw t4, 0(t3)
    mret
