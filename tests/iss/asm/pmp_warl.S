/* PMP CSRs (platform/iss/pmp.c): 16 entries with WARL fields and the lock rules, not
 * enforced; pmpaddr16-63 and pmpcfg4-15 read as zero and ignore writes. */
#include "test_macros.h"
TEST_MAIN
    li s5, 0
    li a0, -1
    csrw pmpaddr0, a0                 /* G = 0: every bit of pmpaddr is writable */
    csrr a1, pmpaddr0
    CHECK(1, a1, 0xffffffff)
    li a0, 0x12345678
    csrw pmpaddr15, a0
    csrr a1, pmpaddr15
    CHECK(2, a1, 0x12345678)
    csrw pmpcfg0, a0                  /* bytes 0x78 0x56 0x34 0x12 */
    csrr a1, pmpcfg0
    /* 0x78: A=NAPOT and reserved bits 5-6, which drop: 0x18; 0x56: W|X|A=NA4|bit 6, and
     * R=0 W=1 is reserved so W drops too: 0x14; 0x34: X|A=NA4|bit 5: 0x14; 0x12: W|A=NA4: 0x10 */
    CHECK(3, a1, 0x10141418)
    li a0, 0x0f0d0b09
    csrw pmpcfg3, a0                  /* entries 12-15: legal R/W/X/TOR combinations stay */
    csrr a1, pmpcfg3
    CHECK(4, a1, 0x0f0d0b09)
    csrr a1, pmpcfg4                  /* entries 16-19 are not implemented */
    CHECK(5, a1, 0)
    csrw pmpaddr63, a0
    csrr a1, pmpaddr63
    CHECK(6, a1, 0)
    /* Lock entry 2 as TOR: its cfg byte and pmpaddr1 (its lower bound) and pmpaddr2 freeze. */
    li a0, 0x11111111
    csrw pmpaddr1, a0
    csrw pmpaddr2, a0
    li a0, 0x00890000                 /* entry 2: L | A=TOR | R */
    csrw pmpcfg0, a0
    li a0, 0x22222222
    csrw pmpaddr1, a0
    csrw pmpaddr2, a0
    csrw pmpaddr3, a0
    csrr a1, pmpaddr1
    CHECK(7, a1, 0x11111111)
    csrr a1, pmpaddr2
    CHECK(8, a1, 0x11111111)
    csrr a1, pmpaddr3
    CHECK(9, a1, 0x22222222)
    li a0, 0x07070707                 /* the other bytes change, the locked one does not */
    csrw pmpcfg0, a0
    csrr a1, pmpcfg0
    CHECK(10, a1, 0x07890707)
    CHECK(11, s5, 0)                  /* no access above trapped */
    PASS
RECORDING_TRAP_HANDLER
