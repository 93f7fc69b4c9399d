/* Every RV32I branch taken and not taken, with signed/unsigned distinctions. */
#include "test_macros.h"
#define TAKEN(n, insn, a, b) li gp, n; li t0, a; li t1, b; insn t0, t1, 1f; j fail; 1:
#define NOT_TAKEN(n, insn, a, b) li gp, n; li t0, a; li t1, b; insn t0, t1, fail_near
TEST_MAIN
    TAKEN(1, beq, 7, 7)
    NOT_TAKEN(2, beq, 7, 8)
    TAKEN(3, bne, 7, 8)
    NOT_TAKEN(4, bne, 7, 7)
    TAKEN(5, blt, -1, 1)
    NOT_TAKEN(6, blt, 1, -1)
    NOT_TAKEN(7, blt, 3, 3)
    TAKEN(8, bge, 1, -1)
    TAKEN(9, bge, 3, 3)
    NOT_TAKEN(10, bge, -1, 1)
    TAKEN(11, bltu, 1, -1)
    NOT_TAKEN(12, bltu, -1, 1)
    NOT_TAKEN(13, bltu, 3, 3)
    TAKEN(14, bgeu, -1, 1)
    TAKEN(15, bgeu, 3, 3)
    NOT_TAKEN(16, bgeu, 1, -1)
    /* backward branch: a counted loop */
    li gp, 17
    li t0, 0
    li t1, 10
2:  addi t0, t0, 1
    bne t0, t1, 2b
    CHECK(17, t0, 10)
    PASS
fail_near:
    j fail
