/*
 * execute.c - the interpreter loop.
 *
 * Shape chosen for speed: pc, the step count and the trap count live in locals; each step
 * looks up the decoded-instruction cache by pc and switches on the predecoded op. Plain
 * ALU ops, branches and DMI loads/stores go straight back to `dispatch`; only operations
 * that can change interrupt state or call the host (callbacks, CSRs, mret) pass through
 * `check`, which looks at c->events. So the common path pays nothing for interrupts.
 *
 * Accounting: a step is a retired instruction or a trap taken (a trap must consume budget,
 * otherwise a handler that faults forever would never return to the host);
 * retired = steps - traps.
 */
#include "iss_internal.h"

/* The mtval of an illegal CSR instruction is its encoding; rebuild it rather than widen
 * every decoded entry to carry the raw bits. */
static uint32_t csr_insn_bits(const iss_decoded_t *d)
{
    static const uint8_t f3[] = {1, 2, 3, 5, 6, 7};
    uint32_t rd = d->rd == ISS_XZERO_SINK ? 0u : d->rd;
    return ((uint32_t)d->imm << 20) | ((uint32_t)d->rs1 << 15) |
           ((uint32_t)f3[d->op - OP_CSRRW] << 12) | (rd << 7) | 0x73u;
}

static uint32_t div32(uint32_t a, uint32_t b)
{
    if (b == 0)
        return 0xffffffffu;
    if (a == 0x80000000u && b == 0xffffffffu)
        return a; /* overflow: the spec defines the result as the dividend */
    return (uint32_t)((int32_t)a / (int32_t)b);
}

static uint32_t rem32(uint32_t a, uint32_t b)
{
    if (b == 0)
        return a;
    if (a == 0x80000000u && b == 0xffffffffu)
        return 0;
    return (uint32_t)((int32_t)a % (int32_t)b);
}

iss_stop_t iss_run(iss_core_t *c, uint64_t budget)
{
    uint32_t *const x = c->x;
    const uint64_t retired0 = c->retired, traps0 = c->traps;
    uint32_t pc = c->pc;
    uint64_t steps = 0, traps = 0;
    const iss_decoded_t *d = NULL;
    uint32_t tval = 0;
    int cause = 0;
    iss_stop_t stop;

    c->stop_requested = 0;
    goto events; /* the host may have changed lines or enables since the last run */

/* Before calling out: callbacks see an exact pc and retired count (the current instruction
 * has not retired yet). */
#define SYNC() (c->pc = pc, c->retired = retired0 + steps - 1u - traps, c->traps = traps0 + traps)
#define NEXT() do { pc += d->len; goto dispatch; } while (0)
#define NEXT_CHECK() do { pc += d->len; goto check; } while (0)
#define TRAP(cause_, tval_) do { cause = (cause_); tval = (tval_); goto trap; } while (0)
#define RS1 x[d->rs1]
#define RS2 x[d->rs2]
#define IMM ((uint32_t)d->imm)
#define LOAD(size, conv)                                                                   \
    do {                                                                                   \
        uint32_t a_ = RS1 + IMM, v_ = 0;                                                   \
        if (ISS_UNLIKELY(a_ & ((size) - 1u)))                                              \
            TRAP(CAUSE_MISALIGNED_LOAD, a_);                                               \
        const uint8_t *p_ = iss_dmi_lookup(c, a_, ISS_DMI_READ);                           \
        if (ISS_LIKELY(p_ != NULL)) {                                                      \
            memcpy(&v_, p_, (size));                                                       \
            x[d->rd] = conv(v_);                                                           \
            NEXT();                                                                        \
        }                                                                                  \
        SYNC();                                                                            \
        if ((cause = iss_mem_load_slow(c, a_, (size), &v_, ISS_ACCESS_LOAD)) != 0)         \
            TRAP(cause, a_);                                                               \
        x[d->rd] = conv(v_);                                                               \
        NEXT_CHECK();                                                                      \
    } while (0)
#define STORE(size)                                                                        \
    do {                                                                                   \
        uint32_t a_ = RS1 + IMM, v_ = RS2;                                                 \
        if (ISS_UNLIKELY(a_ & ((size) - 1u)))                                              \
            TRAP(CAUSE_MISALIGNED_STORE, a_);                                              \
        uint8_t *p_ = iss_dmi_lookup(c, a_, ISS_DMI_WRITE);                                \
        if (ISS_LIKELY(p_ != NULL)) {                                                      \
            memcpy(p_, &v_, (size));                                                       \
            if (ISS_UNLIKELY(iss_is_code_line(c, a_)))                                     \
                iss_code_line_written(c, a_);                                              \
            NEXT();                                                                        \
        }                                                                                  \
        SYNC();                                                                            \
        if ((cause = iss_mem_store_slow(c, a_, (size), v_)) != 0)                          \
            TRAP(cause, a_);                                                               \
        NEXT_CHECK();                                                                      \
    } while (0)
#define SEXT8(v) ((uint32_t)(int32_t)(int8_t)(v))
#define SEXT16(v) ((uint32_t)(int32_t)(int16_t)(v))
#define ZEXT(v) (v)
#define BRANCH(cond)                                                                       \
    do {                                                                                   \
        if (cond) {                                                                        \
            pc += IMM;                                                                     \
            goto dispatch;                                                                 \
        }                                                                                  \
        NEXT();                                                                            \
    } while (0)

dispatch:
    if (ISS_UNLIKELY(steps == budget)) {
        stop = ISS_STOP_BUDGET;
        goto out;
    }
    {
        iss_decoded_t *slot = &c->dcache[ISS_DCACHE_INDEX(pc)];
        steps++;
        if (ISS_UNLIKELY(slot->pc != pc)) {
            SYNC();
            cause = iss_decode_at(c, pc, slot, &tval);
            if (ISS_UNLIKELY(c->events)) {
                /* The fetch callback asked to stop or failed: stop before executing. */
                steps--;
                goto events;
            }
            if (cause)
                goto trap;
        }
        d = slot;
    }

    switch ((iss_op_t)d->op) {
    case OP_LUI: x[d->rd] = IMM; NEXT();
    case OP_AUIPC: x[d->rd] = pc + IMM; NEXT();
    case OP_JAL: x[d->rd] = pc + d->len; pc += IMM; goto dispatch;
    case OP_JALR: {
        uint32_t target = (RS1 + IMM) & ~1u; /* read rs1 before rd may overwrite it */
        x[d->rd] = pc + d->len;
        pc = target;
        goto dispatch;
    }
    case OP_BEQ: BRANCH(RS1 == RS2);
    case OP_BNE: BRANCH(RS1 != RS2);
    case OP_BLT: BRANCH((int32_t)RS1 < (int32_t)RS2);
    case OP_BGE: BRANCH((int32_t)RS1 >= (int32_t)RS2);
    case OP_BLTU: BRANCH(RS1 < RS2);
    case OP_BGEU: BRANCH(RS1 >= RS2);

    case OP_LB: LOAD(1u, SEXT8);
    case OP_LH: LOAD(2u, SEXT16);
    case OP_LW: LOAD(4u, ZEXT);
    case OP_LBU: LOAD(1u, ZEXT);
    case OP_LHU: LOAD(2u, ZEXT);
    case OP_SB: STORE(1u);
    case OP_SH: STORE(2u);
    case OP_SW: STORE(4u);

    case OP_ADDI: x[d->rd] = RS1 + IMM; NEXT();
    case OP_SLTI: x[d->rd] = (int32_t)RS1 < d->imm; NEXT();
    case OP_SLTIU: x[d->rd] = RS1 < IMM; NEXT();
    case OP_XORI: x[d->rd] = RS1 ^ IMM; NEXT();
    case OP_ORI: x[d->rd] = RS1 | IMM; NEXT();
    case OP_ANDI: x[d->rd] = RS1 & IMM; NEXT();
    case OP_SLLI: x[d->rd] = RS1 << IMM; NEXT();
    case OP_SRLI: x[d->rd] = RS1 >> IMM; NEXT();
    case OP_SRAI: x[d->rd] = (uint32_t)((int32_t)RS1 >> IMM); NEXT();

    case OP_ADD: x[d->rd] = RS1 + RS2; NEXT();
    case OP_SUB: x[d->rd] = RS1 - RS2; NEXT();
    case OP_SLL: x[d->rd] = RS1 << (RS2 & 31u); NEXT();
    case OP_SLT: x[d->rd] = (int32_t)RS1 < (int32_t)RS2; NEXT();
    case OP_SLTU: x[d->rd] = RS1 < RS2; NEXT();
    case OP_XOR: x[d->rd] = RS1 ^ RS2; NEXT();
    case OP_SRL: x[d->rd] = RS1 >> (RS2 & 31u); NEXT();
    case OP_SRA: x[d->rd] = (uint32_t)((int32_t)RS1 >> (RS2 & 31u)); NEXT();
    case OP_OR: x[d->rd] = RS1 | RS2; NEXT();
    case OP_AND: x[d->rd] = RS1 & RS2; NEXT();

    case OP_MUL: x[d->rd] = RS1 * RS2; NEXT();
    case OP_MULH:
        x[d->rd] = (uint32_t)((uint64_t)((int64_t)(int32_t)RS1 * (int32_t)RS2) >> 32);
        NEXT();
    case OP_MULHSU:
        x[d->rd] = (uint32_t)((uint64_t)((int64_t)(int32_t)RS1 * (int64_t)RS2) >> 32);
        NEXT();
    case OP_MULHU: x[d->rd] = (uint32_t)(((uint64_t)RS1 * RS2) >> 32); NEXT();
    case OP_DIV: x[d->rd] = div32(RS1, RS2); NEXT();
    case OP_DIVU: x[d->rd] = RS2 ? RS1 / RS2 : 0xffffffffu; NEXT();
    case OP_REM: x[d->rd] = rem32(RS1, RS2); NEXT();
    case OP_REMU: x[d->rd] = RS2 ? RS1 % RS2 : RS1; NEXT();

    case OP_LR: case OP_SC: case OP_AMOSWAP: case OP_AMOADD: case OP_AMOXOR: case OP_AMOAND:
    case OP_AMOOR: case OP_AMOMIN: case OP_AMOMAX: case OP_AMOMINU: case OP_AMOMAXU:
        SYNC();
        if ((cause = iss_exec_amo(c, d, &tval)) != 0)
            goto trap;
        NEXT_CHECK();

    case OP_CSRRW: case OP_CSRRS: case OP_CSRRC: case OP_CSRRWI: case OP_CSRRSI:
    case OP_CSRRCI: {
        iss_op_t op = (iss_op_t)d->op;
        int imm_form = op >= OP_CSRRWI;
        uint32_t operand = imm_form ? d->rs1 : RS1, old = 0;
        int writes = op == OP_CSRRW || op == OP_CSRRWI || d->rs1 != 0;
        SYNC();
        if (iss_csr_access(c, IMM, op, operand, writes, &old))
            TRAP(CAUSE_ILLEGAL, csr_insn_bits(d));
        x[d->rd] = old;
        NEXT_CHECK();
    }

    case OP_FENCE: NEXT();
    case OP_FENCE_I:
        pc += d->len;
        iss_flush_dcache(c); /* d is stale from here on */
        goto dispatch;
    case OP_ECALL: TRAP(CAUSE_ECALL_M, 0);
    case OP_EBREAK:
        if (ISS_UNLIKELY(c->ebreak_halts)) {
            c->halt = (iss_halt_t){ISS_HALT_EBREAK, 0, pc, 0};
            goto debug_halt;
        }
        TRAP(CAUSE_BREAKPOINT, pc);
    case OP_TRIGGER: {
        unsigned t = d->pad[0];
        c->tdata1[t] |= ISS_MCONTROL_HIT;
        if (c->tdata1[t] & ISS_MCONTROL_ACTION_DEBUG) {
            c->halt = (iss_halt_t){ISS_HALT_EXECUTE, t, pc, 0};
            goto debug_halt;
        }
        TRAP(CAUSE_BREAKPOINT, pc);
    }
    case OP_MRET:
        c->pc = pc;
        iss_mret(c);
        pc = c->pc;
        goto check;
    case OP_WFI:
        pc += d->len;
        if (iss_irq_pending(c))
            goto check; /* the spec lets wfi finish at once when it would wake anyway */
        stop = ISS_STOP_WFI;
        goto out;
    case OP_ILLEGAL:
    default:
        TRAP(CAUSE_ILLEGAL, IMM);
    }

debug_halt:
    steps--; /* the instruction at pc has not executed */
    stop = ISS_STOP_DEBUG;
    goto out;

trap:
    if (ISS_UNLIKELY(c->fatal)) {
        steps--; /* the failed instruction neither retired nor trapped */
        goto events;
    }
    c->pc = pc;
    c->retired = retired0 + steps - 1u - traps; /* exact for the trap-chain record */
    iss_take_exception(c, (uint32_t)cause, tval);
    traps++;
    pc = c->pc;
    /* fall through: a trap handler entry is also where a pending event must be seen */
check:
    if (ISS_LIKELY(!c->events))
        goto dispatch;
events:
    c->events = 0;
    if (c->fatal) {
        c->events = 1; /* stay stopped */
        stop = ISS_STOP_FATAL;
        goto out;
    }
    if (c->debug_halt) { /* a data trigger fired in the instruction just completed */
        c->debug_halt = 0;
        stop = ISS_STOP_DEBUG;
        goto out;
    }
    if (c->stop_requested) {
        stop = ISS_STOP_HOST;
        goto out;
    }
    if (steps < budget && (c->mip & c->mie) && (c->mstatus & MSTATUS_MIE) && !c->irq_inhibit) {
        c->pc = pc;
        c->retired = retired0 + steps - traps;
        iss_take_interrupt(c);
        steps++;
        traps++;
        pc = c->pc;
    }
    goto dispatch;

out:
    c->pc = pc;
    c->retired = retired0 + steps - traps;
    c->traps = traps0 + traps; /* SYNC may have stored part of it already */
    return stop;
}
