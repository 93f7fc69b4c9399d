/* Vectored mtvec: interrupts go to base + 4 * cause, exceptions to base. */
#include "test_macros.h"
TEST_MAIN
    la t0, vectors
    ori t0, t0, 1
    csrw mtvec, t0
    li s5, 0
    ecall                       /* exception -> base */
    CHECK(1, s6, 0xe)
    CHECK(2, s2, 11)
    li t0, 8
    csrw mie, t0                /* MSIE */
    csrsi mstatus, 8
    li t1, CLINT_MSIP
    li t0, 1
    sw t0, 0(t1)                /* software interrupt -> base + 12 */
    nop
    CHECK(3, s6, 3)
    CHECK(4, s2, 0x80000003)
    li t0, 0x80                 /* MTIE */
    csrw mie, t0
    li t1, CLINT_MTIMECMP
    sw zero, 4(t1)
    sw zero, 0(t1)              /* mtimecmp = 0 <= mtime: timer pending -> base + 28 */
    nop
    CHECK(5, s6, 7)
    CHECK(6, s2, 0x80000007)
    CHECK(7, s5, 3)
    PASS

    .align 6
vectors:
    j exc_entry                 /* 0: exceptions */
    j fail                      /* 1 */
    j fail                      /* 2 */
    j msi_entry                 /* 3: machine software */
    j fail
    j fail
    j fail
    j mti_entry                 /* 7: machine timer */
    j fail
    j fail
    j fail
    j fail                      /* 11: machine external (not raised here) */
exc_entry:
    li s6, 0xe
    csrr s2, mcause
    addi s5, s5, 1
    csrr t3, mepc
    addi t3, t3, 4
    csrw mepc, t3
    mret
msi_entry:
    li s6, 3
    csrr s2, mcause
    addi s5, s5, 1
    li t3, CLINT_MSIP
    sw zero, 0(t3)              /* clear the source before returning */
    mret
mti_entry:
    li s6, 7
    csrr s2, mcause
    addi s5, s5, 1
    li t3, CLINT_MTIMECMP
    li t4, -1
    sw t4, 4(t3)                /* mtimecmp = max: no longer pending */
    sw t4, 0(t3)
    mret
