/* Reserved and F/D-only compressed encodings raise illegal instruction with the 16 bits
 * in mtval. */
#include "test_macros.h"
#define ILLEGAL16(n, bits) li s5, 0; 1: .half bits; la t0, 1b; \
    CHECK(n, s2, 2); CHECK_REG(n, s3, t0); CHECK(n, s4, bits); CHECK(n, s5, 1)
TEST_MAIN
    ILLEGAL16(1, 0x0000)   /* all zeros: c.addi4spn with nzuimm 0 */
    ILLEGAL16(2, 0x4002)   /* c.lwsp rd = x0 */
    ILLEGAL16(3, 0x8002)   /* c.jr x0 */
    ILLEGAL16(4, 0x6101)   /* c.addi16sp 0 */
    ILLEGAL16(5, 0x6501)   /* c.lui a0, 0 */
    ILLEGAL16(6, 0x2000)   /* c.fld */
    ILLEGAL16(7, 0x6000)   /* c.flw */
    ILLEGAL16(8, 0xa000)   /* c.fsd */
    ILLEGAL16(9, 0xe000)   /* c.fsw */
    ILLEGAL16(10, 0x8000)  /* quadrant 0 funct3 100: reserved */
    ILLEGAL16(11, 0x1082)  /* c.slli with shamt[5] = 1 (RV64 only) */
    ILLEGAL16(12, 0x9041)  /* c.srli with shamt[5] = 1 */
    ILLEGAL16(13, 0x9441)  /* c.srai with shamt[5] = 1 */
    ILLEGAL16(14, 0x9c01)  /* c.subw (RV64 only) */
    ILLEGAL16(15, 0x2002)  /* c.fldsp */
    ILLEGAL16(16, 0x6002)  /* c.flwsp */
    ILLEGAL16(17, 0xa002)  /* c.fsdsp */
    ILLEGAL16(18, 0xe002)  /* c.fswsp */
    PASS
RECORDING_TRAP_HANDLER
