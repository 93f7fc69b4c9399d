/* csrrw/s/c and their immediate forms return the old value and update the CSR; fixed
 * machine-information CSRs read their documented values. */
#include "test_macros.h"
TEST_MAIN
    li a0, 0x12345678
    csrrw a1, mscratch, a0
    CHECK(1, a1, 0)
    li a0, 0x0000ff00
    csrrs a1, mscratch, a0
    CHECK(2, a1, 0x12345678)
    csrr a1, mscratch
    CHECK(3, a1, 0x1234ff78)
    li a0, 0x000000f8
    csrrc a1, mscratch, a0
    CHECK(4, a1, 0x1234ff78)
    csrr a1, mscratch
    CHECK(5, a1, 0x1234ff00)
    csrrwi a1, mscratch, 31
    CHECK(6, a1, 0x1234ff00)
    csrrsi a1, mscratch, 0x10 | 0x0
    CHECK(7, a1, 31)
    csrrci a1, mscratch, 3
    CHECK(8, a1, 31)
    csrr a1, mscratch
    CHECK(9, a1, 28)
    csrrw zero, mscratch, zero      /* rd = x0 still writes */
    csrr a1, mscratch
    CHECK(10, a1, 0)
    li a0, 7
    csrrw a0, mscratch, a0          /* rd == rs1: old value out, new value in */
    CHECK(11, a0, 0)
    csrr a1, mscratch
    CHECK(12, a1, 7)
    csrr a1, misa
    CHECK(13, a1, 0x40001105)       /* RV32 + A C I M */
    csrr a1, mhartid
    CHECK(14, a1, 0)
    csrr a1, mvendorid
    CHECK(15, a1, 0)
    csrr a1, marchid
    CHECK(16, a1, 0)
    csrr a1, mimpid
    CHECK(17, a1, 0)
    csrr a1, mstatus
    CHECK(18, a1, 0x1800)           /* MPP hard-wired to M */
    li a0, 0x88
    csrs mstatus, a0                /* MPIE | MIE */
    csrr a1, mstatus
    CHECK(19, a1, 0x1888)
    csrc mstatus, a0
    li a0, -1
    csrw mie, a0                    /* only MSIE/MTIE/MEIE exist */
    csrr a1, mie
    CHECK(20, a1, 0x888)
    csrw mie, zero
    la a0, 1f + 3                   /* mtvec: mode 3 is reserved -> direct */
    csrw mtvec, a0
    csrr a1, mtvec
    la t0, 1f
    CHECK_REG(21, a1, t0)
1:  la a0, 2f + 1
    csrw mtvec, a0                  /* vectored mode is kept */
    csrr a1, mtvec
    CHECK_REG(22, a1, a0)
2:  li a0, 0x80000003
    csrw mepc, a0                   /* bit 0 of mepc is always 0 */
    csrr a1, mepc
    CHECK(23, a1, 0x80000002)
    li a0, 0xabcdef01
    csrw mtval, a0
    csrr a1, mtval
    CHECK(24, a1, 0xabcdef01)
    csrw mcause, a0
    csrr a1, mcause
    CHECK(25, a1, 0xabcdef01)
    csrr a1, mhpmcounter3           /* unused counters exist and read zero */
    CHECK(26, a1, 0)
    csrw mhpmevent3, a0
    csrr a1, mhpmevent3
    CHECK(27, a1, 0)
    PASS
