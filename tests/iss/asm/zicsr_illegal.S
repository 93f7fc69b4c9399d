/* Writes to read-only CSRs and accesses to unknown CSRs are illegal instructions with the
 * instruction bits in mtval; read-only CSRs can still be read with csrrs/csrrsi x0/0. */
#include "test_macros.h"
/* insn must trap once as illegal, with mepc at it and mtval = its encoding */
#define EXPECT_ILLEGAL(n, insn...) \
    la t0, 1f; li s5, 0; 1: insn; lw t1, 0(t0); \
    CHECK(n, s5, 1); CHECK(n, s2, 2); CHECK_REG(n, s3, t0); CHECK_REG(n, s4, t1)
#define EXPECT_LEGAL(n, insn...) li s5, 0; insn; CHECK(n, s5, 0)
TEST_MAIN
    li a0, 1
    EXPECT_ILLEGAL(1, csrw mhartid, a0)
    EXPECT_ILLEGAL(2, csrrw a1, mhartid, zero)   /* csrrw writes even with x0 */
    EXPECT_ILLEGAL(3, csrrsi zero, mhartid, 10)  /* uimm != 0 writes */
    EXPECT_ILLEGAL(4, csrrs a1, mvendorid, a0)   /* rs1 != x0 writes */
    EXPECT_ILLEGAL(5, csrw cycle, a0)
    EXPECT_ILLEGAL(6, csrwi instret, 0)
    EXPECT_ILLEGAL(7, csrr a1, 0x7c0)            /* custom CSR, not implemented */
    EXPECT_ILLEGAL(8, csrr a1, dcsr)             /* no debug mode */
    EXPECT_ILLEGAL(9, csrr a1, sstatus)          /* no S mode */
    EXPECT_ILLEGAL(10, csrr a1, satp)
    EXPECT_ILLEGAL(11, csrr a1, medeleg)         /* M only: no trap delegation */
    EXPECT_LEGAL(12, csrr a1, mhartid)           /* csrrs rd, csr, x0 only reads */
    EXPECT_LEGAL(13, csrrsi a1, cycle, 0)
    EXPECT_LEGAL(14, csrrc a1, instret, zero)
    EXPECT_LEGAL(15, csrr a1, time)              /* iss-run provides a time source */
    EXPECT_LEGAL(16, csrr a1, timeh)
    li a0, 0
    EXPECT_LEGAL(17, csrw misa, a0)              /* misa is WARL: writes ignored */
    csrr a1, misa
    CHECK(18, a1, 0x40001105)
    li a0, -1
    EXPECT_LEGAL(19, csrw mip, a0)               /* lines are driven by the platform */
    csrr a1, mip
    CHECK(20, a1, 0)
    PASS
RECORDING_TRAP_HANDLER
