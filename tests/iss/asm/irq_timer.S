/* mtimecmp raises a machine timer interrupt at the right time, mepc points into the
 * interrupted loop, and rewriting mtimecmp clears it. */
#include "test_macros.h"
TEST_MAIN
    li s5, 0
    li s7, 0
    li t1, CLINT_MTIME
    lw a0, 0(t1)                /* mtime low (tests never run long enough to carry) */
    addi a0, a0, 500
    li t1, CLINT_MTIMECMP
    li t0, -1
    sw t0, 4(t1)
    sw a0, 0(t1)
    sw zero, 4(t1)              /* mtimecmp = now + 500 */
    li t0, 0x80
    csrw mie, t0
    csrsi mstatus, 8
    la s8, spin
spin:
    addi s7, s7, 1
    beqz s5, spin
    CHECK(1, s2, 0x80000007)
    CHECK(2, s4, 0)             /* mtval is 0 for interrupts */
    li gp, 3                    /* mepc is inside the loop */
    la t0, spin
    bltu s3, t0, fail
    addi t0, t0, 8
    bgeu s3, t0, fail
    li t1, CLINT_MTIME
    lw a1, 0(t1)
    li gp, 4                    /* it fired no earlier than mtimecmp */
    bltu a1, a0, fail
    li gp, 5                    /* and not much later: the loop ran ~500/2 times */
    li t0, 200
    bltu s7, t0, fail
    li t0, 300
    bgeu s7, t0, fail
    csrr a1, mip
    CHECK(6, a1, 0)             /* handler moved mtimecmp: MTIP low */
    CHECK(7, s5, 1)
    PASS

    .align 2
    .globl test_trap_handler
test_trap_handler:
    csrr s2, mcause
    csrr s3, mepc
    csrr s4, mtval
    addi s5, s5, 1
    li t3, CLINT_MTIMECMP
    li t4, -1
    sw t4, 4(t3)
    sw t4, 0(t3)
    mret
