/* Every AMO returns the old memory value and stores op(old, rs2). */
#include "test_macros.h"
    .data
    .align 2
word: .word 0
#define AMO(n, insn, init, operand, expect_mem) \
    li t0, init; sw t0, 0(a0); li t1, operand; insn t2, t1, (a0); \
    CHECK(n, t2, init); lw t3, 0(a0); CHECK(n, t3, expect_mem)
TEST_MAIN
    la a0, word
    AMO(1, amoswap.w, 0x11111111, 0x22222222, 0x22222222)
    AMO(2, amoadd.w, 0xffffffff, 2, 1)
    AMO(3, amoxor.w, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0)
    AMO(4, amoand.w, 0xff00ff00, 0x0ff00ff0, 0x0f000f00)
    AMO(5, amoor.w, 0xff00ff00, 0x0ff00ff0, 0xfff0fff0)
    AMO(6, amomin.w, -1, 1, -1)
    AMO(7, amomin.w, 5, -7, -7)
    AMO(8, amomax.w, -1, 1, 1)
    AMO(9, amomax.w, 5, -7, 5)
    AMO(10, amominu.w, -1, 1, 1)
    AMO(11, amominu.w, 5, 7, 5)
    AMO(12, amomaxu.w, -1, 1, -1)
    AMO(13, amomaxu.w, 5, 7, 7)
    AMO(14, amoadd.w.aqrl, 40, 2, 42)
    /* rd == rs2: the old value lands in rd, memory gets the old rs2 */
    li t0, 3
    sw t0, 0(a0)
    li t1, 4
    amoadd.w t1, t1, (a0)
    CHECK(15, t1, 3)
    lw t3, 0(a0)
    CHECK(16, t3, 7)
    /* rd == x0 still updates memory */
    li t1, 1
    amoswap.w zero, t1, (a0)
    lw t3, 0(a0)
    CHECK(17, t3, 1)
    PASS
