/* RV32I register-register ALU ops, including wrap-around, shift-amount masking and x0. */
#include "test_macros.h"
TEST_MAIN
    li a0, 0x7fffffff
    li a1, 1
    add a2, a0, a1
    CHECK(1, a2, 0x80000000)
    sub a2, zero, a1
    CHECK(2, a2, -1)
    li a0, 0x80000000
    sub a2, a0, a1
    CHECK(3, a2, 0x7fffffff)
    li a0, 0x12345678
    li a1, 36            /* only the low 5 bits count: shift by 4 */
    sll a2, a0, a1
    CHECK(4, a2, 0x23456780)
    srl a2, a0, a1
    CHECK(5, a2, 0x01234567)
    li a0, 0x87654321
    sra a2, a0, a1
    CHECK(6, a2, 0xf8765432)
    srl a2, a0, a1
    CHECK(7, a2, 0x08765432)
    li a0, -1
    li a1, 1
    slt a2, a0, a1
    CHECK(8, a2, 1)
    sltu a2, a0, a1
    CHECK(9, a2, 0)
    slt a2, a1, a0
    CHECK(10, a2, 0)
    sltu a2, a1, a0
    CHECK(11, a2, 1)
    li a0, 0xff00ff00
    li a1, 0x0ff00ff0
    xor a2, a0, a1
    CHECK(12, a2, 0xf0f0f0f0)
    or a2, a0, a1
    CHECK(13, a2, 0xfff0fff0)
    and a2, a0, a1
    CHECK(14, a2, 0x0f000f00)
    add zero, a0, a1     /* writes to x0 are discarded */
    CHECK(15, zero, 0)
    li a0, 5
    add a0, a0, a0       /* rd == rs1 == rs2 */
    CHECK(16, a0, 10)
    li a1, 31
    li a0, 1
    sll a2, a0, a1
    CHECK(17, a2, 0x80000000)
    sra a2, a2, a1
    CHECK(18, a2, -1)
    PASS
