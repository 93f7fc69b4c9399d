/* RV32I register-immediate ALU ops, lui and auipc. */
#include "test_macros.h"
TEST_MAIN
    li a0, 100
    addi a1, a0, -2048
    CHECK(1, a1, -1948)
    addi a1, a0, 2047
    CHECK(2, a1, 2147)
    li a0, -5
    slti a1, a0, -4
    CHECK(3, a1, 1)
    slti a1, a0, -5
    CHECK(4, a1, 0)
    sltiu a1, a0, -1     /* -1 is 0xffffffff unsigned: 0xfffffffb < it */
    CHECK(5, a1, 1)
    sltiu a1, zero, 1    /* seqz */
    CHECK(6, a1, 1)
    li a0, 0x0000ff0f
    xori a1, a0, -1      /* not */
    CHECK(7, a1, 0xffff00f0)
    ori a1, a0, 0x0f0
    CHECK(8, a1, 0x0000ffff)
    andi a1, a0, -16     /* sign-extended mask 0xfffffff0 */
    CHECK(9, a1, 0x0000ff00)
    li a0, 0x80000001
    slli a1, a0, 1
    CHECK(10, a1, 2)
    srli a1, a0, 31
    CHECK(11, a1, 1)
    srai a1, a0, 31
    CHECK(12, a1, -1)
    srai a1, a0, 0
    CHECK(13, a1, 0x80000001)
    lui a1, 0xfffff
    CHECK(14, a1, 0xfffff000)
    lui a1, 0x12345
    CHECK(15, a1, 0x12345000)
1:  auipc a1, 0
    la a2, 1b
    CHECK_REG(16, a1, a2)
2:  auipc a1, 0x1
    la a2, 2b
    li t0, 0x1000
    add a2, a2, t0
    CHECK_REG(17, a1, a2)
    addi zero, zero, 7
    CHECK(18, zero, 0)
    PASS
