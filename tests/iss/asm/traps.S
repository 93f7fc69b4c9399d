/* Synchronous exceptions: cause, mepc and mtval for each kind, and the mstatus stack. */
#include "test_macros.h"
    .data
    .align 2
buf: .word 0x11111111, 0x22222222
#define AT(label) la t0, label
TEST_MAIN
    la a0, buf
    /* illegal instruction: mtval holds the encoding */
    li s5, 0
1:  .word 0x00003003            /* ld x0, 0(x0): RV64 only */
    AT(1b)
    CHECK_TRAP(1, 2, t0, 0x00003003)
2:  .word 0x10200073            /* sret: no S mode */
    AT(2b)
    CHECK_TRAP(2, 2, t0, 0x10200073)
3:  .word 0xffffffff            /* 48/64-bit encodings are not supported */
    AT(3b)
    CHECK_TRAP(3, 2, t0, 0xffffffff)
    /* misaligned loads: mtval is the effective address; rd untouched */
    li a1, 0x5555
    addi a2, a0, 1
4:  lw a1, 0(a2)
    AT(4b)
    CHECK(4, s2, 4)
    CHECK_REG(4, s3, t0)
    CHECK_REG(4, s4, a2)
    CHECK(4, a1, 0x5555)
    addi a2, a0, 3
5:  lh a1, 0(a2)
    AT(5b)
    CHECK(5, s2, 4)
    CHECK_REG(5, s3, t0)
    CHECK_REG(5, s4, a2)
6:  lhu a1, 1(a0)
    AT(6b)
    CHECK(6, s2, 4)
    addi a2, a0, 1
    CHECK_REG(6, s4, a2)
    /* misaligned stores: memory untouched */
    addi a2, a0, 2
7:  sw zero, 0(a2)
    AT(7b)
    CHECK(7, s2, 6)
    CHECK_REG(7, s3, t0)
    CHECK_REG(7, s4, a2)
    lw a1, 0(a0)
    CHECK(7, a1, 0x11111111)
    lw a1, 4(a0)
    CHECK(7, a1, 0x22222222)
8:  sh zero, 5(a0)
    AT(8b)
    CHECK(8, s2, 6)
    addi a2, a0, 5
    CHECK_REG(8, s4, a2)
    /* access faults on unmapped addresses */
9:  lw a1, 0(zero)
    AT(9b)
    CHECK_TRAP(9, 5, t0, 0)
    li a2, 0x20000000
10: sb zero, 3(a2)
    AT(10b)
    CHECK_TRAP(10, 7, t0, 0x20000003)
    li a2, 0x30000000
    jalr ra, 0(a2)              /* fetch fault: mepc = mtval = target */
    CHECK_TRAP(11, 1, a2, 0x30000000)
    /* ecall: mtval 0; ebreak: mtval = pc */
11: ecall
    AT(11b)
    CHECK_TRAP(12, 11, t0, 0)
12: ebreak
    AT(12b)
    CHECK_REG(13, s4, t0)
    CHECK(13, s2, 3)
    CHECK_REG(13, s3, t0)
    /* mstatus on trap: MPIE <- MIE, MIE <- 0; mret: MIE <- MPIE, MPIE <- 1 */
    csrsi mstatus, 8            /* MIE on; nothing is enabled in mie */
    csrw mscratch, zero
    la t0, check_mstatus
    csrw mtvec, t0
    ecall
    csrr a1, mstatus
    CHECK(14, a1, 0x1888)       /* back with MIE restored, MPIE = 1 */
    csrr a1, mscratch
    CHECK(15, a1, 0x1880)       /* inside the handler: MIE = 0, MPIE = 1, MPP = M */
    CHECK(16, s5, 13)           /* exactly one trap per faulting instruction so far */
    PASS

    .align 2
check_mstatus:
    csrr t3, mstatus
    csrw mscratch, t3
    csrr t3, mepc
    addi t3, t3, 4
    csrw mepc, t3
    la t3, test_trap_handler
    csrw mtvec, t3
    mret
RECORDING_TRAP_HANDLER
