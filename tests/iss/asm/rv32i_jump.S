/* jal/jalr: link values, offsets, bit 0 of the jalr target cleared, rd == rs1. */
#include "test_macros.h"
TEST_MAIN
    jal ra, 1f
ret1:
    j fail
1:  la t0, ret1
    CHECK_REG(1, ra, t0)
    la t0, 2f
    jalr ra, 4(t0)        /* lands on the second instruction after 2: */
ret2:
    j fail
2:  j fail
    la t1, ret2
    CHECK_REG(2, ra, t1)
    la t0, 3f
    addi t0, t0, 1        /* odd target: jalr clears bit 0, no trap */
    jalr t2, 0(t0)
    j fail
3:  li gp, 3
    la t0, 4f
    jalr t0, 0(t0)        /* rd == rs1: the target uses the old value */
ret4:
    j fail
4:  la t1, ret4
    CHECK_REG(4, t0, t1)
    jal zero, 5f          /* plain jump, no link */
    j fail
5:  la t0, 6f
    jalr zero, -4(t0)     /* negative offset */
    j fail
    j 7f
6:  j fail
7:  CHECK(6, zero, 0)
    PASS
