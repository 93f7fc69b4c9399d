/* ecall/ebreak set mcause/mepc/mtval; trap entry and mret move MIE/MPIE as the spec says. */
#include "test_macros.h"
    .data
    .align 2
buf: .word 0x11111111, 0x22222222
#define AT(label) la t0, label
TEST_MAIN
    la a0, buf
    li s5, 0
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
    CHECK(16, s5, 2)           /* exactly one trap per instruction */
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
