/* Loads of every width, with sign and zero extension and negative offsets. */
#include "test_macros.h"
    .data
    .align 2
data: .byte 0x80, 0x7f, 0xff, 0x01
      .half 0x8001, 0x7ffe
      .word 0xdeadbeef
TEST_MAIN
    la a0, data
    lb a1, 0(a0)
    CHECK(1, a1, 0xffffff80)
    lbu a1, 0(a0)
    CHECK(2, a1, 0x80)
    lb a1, 1(a0)
    CHECK(3, a1, 0x7f)
    lb a1, 2(a0)
    CHECK(4, a1, -1)
    lbu a1, 2(a0)
    CHECK(5, a1, 0xff)
    lh a1, 4(a0)
    CHECK(6, a1, 0xffff8001)
    lhu a1, 4(a0)
    CHECK(7, a1, 0x8001)
    lh a1, 6(a0)
    CHECK(8, a1, 0x7ffe)
    lw a1, 8(a0)
    CHECK(9, a1, 0xdeadbeef)
    lw a1, 0(a0)
    CHECK(10, a1, 0x01ff7f80)
    addi a2, a0, 12
    lw a1, -4(a2)
    CHECK(11, a1, 0xdeadbeef)
    lhu a1, -6(a2)
    CHECK(12, a1, 0x7ffe)
    lb zero, 0(a0)        /* load to x0: performed, value discarded */
    CHECK(13, zero, 0)
    PASS
