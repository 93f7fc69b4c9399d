/* Stores write exactly their own bytes. */
#include "test_macros.h"
    .data
    .align 2
buf: .word 0, 0, 0
TEST_MAIN
    la a0, buf
    li a1, -1
    sw a1, 0(a0)
    sw a1, 4(a0)
    li a2, 0x12345678
    sb a2, 1(a0)
    lw a3, 0(a0)
    CHECK(1, a3, 0xffff78ff)
    sh a2, 2(a0)
    lw a3, 0(a0)
    CHECK(2, a3, 0x567878ff)
    sh a2, 4(a0)
    lw a3, 4(a0)
    CHECK(3, a3, 0xffff5678)
    sw a2, 8(a0)
    lw a3, 8(a0)
    CHECK(4, a3, 0x12345678)
    addi a4, a0, 12
    sb zero, -1(a4)       /* negative offset, top byte of word 2 */
    lw a3, 8(a0)
    CHECK(5, a3, 0x00345678)
    lw a3, 4(a0)          /* neighbours untouched */
    CHECK(6, a3, 0xffff5678)
    PASS
