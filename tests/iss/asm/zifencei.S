/* Code written by stores runs as written: after fence.i (required by the spec) and, as this
 * core guarantees, even without it (stores invalidate decoded code in their line). */
#include "test_macros.h"
TEST_MAIN
    li s0, 0
    la a0, patch
    li s1, 2
1:  jal ra, patch               /* first run: adds 1 */
    addi s1, s1, -1
    beqz s1, 2f
    lw t0, new_insn
    sw t0, 0(a0)                /* now patch adds 100 */
    fence.i
    j 1b
2:  CHECK(1, s0, 101)
    /* no fence.i: the store alone must make the new code visible */
    lw t0, new_insn2
    sw t0, 0(a0)                /* patch adds 1000 */
    jal ra, patch
    CHECK(2, s0, 1101)
    /* patch one half of a 32-bit instruction with sh */
    lw t0, new_insn
    sw t0, 0(a0)
    li t1, 0x7d04               /* upper half of addi s0, s0, 2000 (0x7d040413) */
    sh t1, 2(a0)
    jal ra, patch
    CHECK(3, s0, 3101)
    PASS

    .align 2
patch:
    addi s0, s0, 1
    ret
new_insn:
    addi s0, s0, 100
new_insn2:
    addi s0, s0, 1000
