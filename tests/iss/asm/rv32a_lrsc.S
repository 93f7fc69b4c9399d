/* LR/SC with one reservation; misaligned LR/SC/AMO trap with the spec's causes. */
#include "test_macros.h"
    .data
    .align 2
w0: .word 5
w1: .word 9
TEST_MAIN
    la a0, w0
    la a1, w1
    lr.w t0, (a0)
    CHECK(1, t0, 5)
    li t1, 6
    sc.w t2, t1, (a0)
    CHECK(2, t2, 0)                /* success */
    lw t3, 0(a0)
    CHECK(3, t3, 6)
    li t1, 7
    sc.w t2, t1, (a0)              /* the previous SC consumed the reservation */
    CHECK(4, t2, 1)
    lw t3, 0(a0)
    CHECK(5, t3, 6)
    lr.w t0, (a0)
    sc.w t2, t1, (a1)              /* other address: fails, memory untouched */
    CHECK(6, t2, 1)
    lw t3, 0(a1)
    CHECK(7, t3, 9)
    /* an LR/SC increment loop, the way a lock or atomic counter is written */
    li t4, 0
1:  lr.w.aq t0, (a1)
    addi t0, t0, 1
    sc.w.rl t2, t0, (a1)
    bnez t2, 1b
    addi t4, t4, 1
    li t5, 3
    bne t4, t5, 1b
    lw t3, 0(a1)
    CHECK(8, t3, 12)
    /* an ecall between LR and SC breaks the reservation (trap = context switch) */
    lr.w t0, (a0)
    ecall
    sc.w t2, t1, (a0)
    CHECK(9, t2, 1)
    CHECK(10, s2, 11)
    /* misaligned: LR reports a load fault cause, SC/AMO a store/AMO cause */
    addi a2, a0, 2
    li s5, 0
    lr.w t0, (a2)
    CHECK(11, s2, 4)
    CHECK_REG(12, s4, a2)
    sc.w t0, t1, (a2)
    CHECK(13, s2, 6)
    amoadd.w t0, t1, (a2)
    CHECK(14, s2, 6)
    CHECK(15, s5, 3)
    /* AMO on an unmapped address: store/AMO access fault */
    li a3, 0x20000000
    amoor.w t0, t1, (a3)
    CHECK(16, s2, 7)
    CHECK_REG(17, s4, a3)
    lr.w t0, (a3)
    CHECK(18, s2, 5)
    PASS
RECORDING_TRAP_HANDLER
