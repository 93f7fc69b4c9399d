/* Helpers for the self-checking instruction tests. Each check has a number n (1..60) that
 * iss-run returns as its exit code when the check fails; t6 is scratch. */
#ifndef ISS_TEST_MACROS_H
#define ISS_TEST_MACROS_H

/* Non-C tests assemble without RVC so every instruction is the 32-bit form under test. */
#define TEST_MAIN .text; .option norvc; .globl test_main; test_main:
#define PASS j pass

/* reg must equal the constant val. */
#define CHECK(n, reg, val) li gp, n; li t6, val; beq reg, t6, 99f; j fail; 99:
/* reg must equal reg2. */
#define CHECK_REG(n, reg, reg2) li gp, n; beq reg, reg2, 99f; j fail; 99:

/* CLINT registers (SiFive layout) */
#define CLINT_MSIP 0x02000000
#define CLINT_MTIMECMP 0x02004000
#define CLINT_MTIME 0x0200bff8

/* A trap handler that records mcause/mepc/mtval in s2/s3/s4, counts traps in s5, and
 * resumes after the trapping instruction (2 or 4 bytes, read from memory), or at ra for a
 * fetch fault (the faulting pc is not executable), or at mepc for interrupts.
 * Clobbers t3-t5. */
.macro RECORDING_TRAP_HANDLER
    .text
    .align 2
    .globl test_trap_handler
test_trap_handler:
    csrr s2, mcause
    csrr s3, mepc
    csrr s4, mtval
    addi s5, s5, 1
    bltz s2, 3f
    li t5, 1
    beq s2, t5, 2f
    lhu t5, 0(s3)
    andi t5, t5, 3
    li t4, 3
    addi t3, s3, 2
    bne t5, t4, 1f
    addi t3, s3, 4
1:  csrw mepc, t3
    mret
2:  csrw mepc, ra
    mret
3:  mret
.endm

/* Expect the last trap to be (cause, epc register, tval constant) and exactly count traps. */
#define CHECK_TRAP(n, cause, epc_reg, tval) \
    CHECK(n, s2, cause); CHECK_REG(n, s3, epc_reg); CHECK(n, s4, tval)

#endif
