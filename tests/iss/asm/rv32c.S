/* Every RV32C form (except the F/D ones this core does not have), each checked against the
 * result its 32-bit expansion must give. */
#include "test_macros.h"
    .data
    .align 2
cdata: .word 0x11223344, 0x80000001, 0, 0
TEST_MAIN
    .option rvc
    /* CI / CR arithmetic */
    li a0, 10
    c.addi a0, -3
    CHECK(1, a0, 7)
    c.li a1, -32
    CHECK(2, a1, -32)
    c.li a1, 31
    CHECK(3, a1, 31)
    c.lui a2, 0xfffff            /* nzimm -1 -> 0xfffff000 */
    CHECK(4, a2, 0xfffff000)
    c.lui a2, 1
    CHECK(5, a2, 0x1000)
    c.mv a3, a0
    CHECK(6, a3, 7)
    c.add a3, a1
    CHECK(7, a3, 38)
    li s0, 0xf0f0
    li s1, 0xff00
    c.and s0, s1
    CHECK(8, s0, 0xf000)
    li s0, 0xf0f0
    c.or s0, s1
    CHECK(9, s0, 0xfff0)
    li s0, 0xf0f0
    c.xor s0, s1
    CHECK(10, s0, 0x0ff0)
    li s0, 5
    c.sub s0, s1
    CHECK(11, s0, 0xffff0105)
    li a4, -16
    c.andi a4, 0x1f              /* andi with sign-extended 6-bit imm (-1 & ...) */
    CHECK(12, a4, 0x10)
    li a4, 0xff
    c.andi a4, -2
    CHECK(13, a4, 0xfe)
    li a5, 0x80000000
    c.srli a5, 4
    CHECK(14, a5, 0x08000000)
    li a5, 0x80000000
    c.srai a5, 4
    CHECK(15, a5, 0xf8000000)
    li a5, 3
    c.slli a5, 30
    CHECK(16, a5, 0xc0000000)
    c.nop
    /* stack-pointer forms */
    mv s1, sp
    c.addi16sp sp, -64
    addi t0, s1, -64
    CHECK_REG(17, sp, t0)
    c.addi4spn a0, sp, 16
    addi t0, sp, 16
    CHECK_REG(18, a0, t0)
    li a1, 0x5a5a1234
    c.swsp a1, 12(sp)
    c.lwsp a2, 12(sp)
    CHECK(19, a2, 0x5a5a1234)
    lw a3, 12(sp)
    CHECK(20, a3, 0x5a5a1234)
    c.addi16sp sp, 64
    CHECK_REG(21, sp, s1)
    /* CL / CS */
    la s0, cdata
    c.lw a0, 0(s0)
    CHECK(22, a0, 0x11223344)
    c.lw a1, 4(s0)
    CHECK(23, a1, 0x80000001)
    c.sw a0, 8(s0)
    lw a2, 8(s0)
    CHECK(24, a2, 0x11223344)
    c.sw a1, 12(s0)
    lw a2, 12(s0)
    CHECK(25, a2, 0x80000001)
    /* control transfer */
    c.j 1f
    j fail
1:  c.jal 2f                     /* RV32-only: links ra = pc + 2 */
ret_cjal:
    j fail
2:  la t0, ret_cjal
    CHECK_REG(26, ra, t0)
    la t1, 3f
    c.jr t1
    j fail
3:  la t1, 4f
    c.jalr t1                    /* links ra = pc + 2 */
ret_cjalr:
    j fail
4:  la t0, ret_cjalr
    CHECK_REG(27, ra, t0)
    li s0, 0
    li gp, 28
    c.beqz s0, 5f
    j fail
5:  c.bnez s0, fail_near
    li s0, 1
    c.bnez s0, 6f
    j fail
6:  c.beqz s0, fail_near
    /* c.ebreak: breakpoint trap with mepc at the 2-byte instruction */
    li s5, 0
7:  c.ebreak
    la t0, 7b
    CHECK(29, s2, 3)
    CHECK_REG(30, s3, t0)
    CHECK(31, s5, 1)
    /* a 32-bit instruction at a 2-byte aligned (not 4-byte aligned) address */
    .align 2
    c.nop
    li a0, 0x12345678            /* lui+addi, each 4 bytes, starting at pc % 4 == 2 */
    CHECK(32, a0, 0x12345678)
    PASS
fail_near:
    j fail
RECORDING_TRAP_HANDLER
