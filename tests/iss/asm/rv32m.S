/* M extension including the spec's division-by-zero and overflow results. */
#include "test_macros.h"
#define OP(n, insn, a, b, expect) li t0, a; li t1, b; insn t2, t0, t1; CHECK(n, t2, expect)
TEST_MAIN
    OP(1, mul, 7, -3, -21)
    OP(2, mul, 0x80000000, -1, 0x80000000)
    OP(3, mul, 0x10000, 0x10000, 0)
    OP(4, mulh, -1, -1, 0)
    OP(5, mulh, 0x80000000, 0x80000000, 0x40000000)
    OP(6, mulh, -2, 3, -1)
    OP(7, mulhu, -1, -1, 0xfffffffe)
    OP(8, mulhu, 0x10000, 0x10000, 1)
    OP(9, mulhsu, -1, -1, -1)            /* -1 * 0xffffffff: high word is -1 */
    OP(10, mulhsu, 0x80000000, 0xffffffff, 0x80000000)
    OP(11, mulhsu, 2, 0x80000000, 1)
    OP(12, div, 20, -6, -3)               /* rounds toward zero */
    OP(13, div, -20, 6, -3)
    OP(14, divu, 20, 6, 3)
    OP(15, divu, -1, 2, 0x7fffffff)
    OP(16, rem, 20, -6, 2)                /* sign follows the dividend */
    OP(17, rem, -20, 6, -2)
    OP(18, remu, 20, 6, 2)
    OP(19, div, 5, 0, -1)                 /* division by zero */
    OP(20, divu, 5, 0, 0xffffffff)
    OP(21, rem, 5, 0, 5)
    OP(22, remu, 5, 0, 5)
    OP(23, rem, -5, 0, -5)
    OP(24, div, 0x80000000, -1, 0x80000000) /* overflow */
    OP(25, rem, 0x80000000, -1, 0)
    OP(26, divu, 0x80000000, -1, 0)
    OP(27, remu, 0x80000000, -1, 0x80000000)
    li t0, 9
    mul t0, t0, t0                        /* rd == rs1 == rs2 */
    CHECK(28, t0, 81)
    PASS
