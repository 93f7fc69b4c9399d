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
 *
 * This file is compiled twice: as iss_run_plain, and by execute_traced.c with ISS_TRACED set
 * as iss_run_traced, where the TRACE_* hooks report retired instructions and traps. In the
 * plain loop the hooks expand to nothing, so it is the same code as without tracing.
 */
#include "iss_internal.h"

#ifndef ISS_TRACED
#define ISS_TRACED 0
#define ISS_RUN_LOOP iss_run_plain
#endif

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

#if ISS_TRACED
/* The raw bits at pc, when a DMI region holds them. */
static int trace_fetch_raw(iss_core_t *c, uint32_t pc, unsigned len, uint32_t *raw)
{
    uint16_t half[2] = {0, 0};
    for (unsigned i = 0; i < len / 2u; i++) {
        const uint8_t *p = iss_dmi_lookup(c, (pc + 2u * i) & ~3u, ISS_DMI_READ);
        if (!p)
            return 0;
        memcpy(&half[i], p + ((pc + 2u * i) & 2u), 2);
    }
    *raw = (uint32_t)half[0] | ((uint32_t)half[1] << 16);
    return 1;
}

/* What is known before the instruction executes (operands may be overwritten by rd). */
static void trace_start(iss_core_t *c, const iss_decoded_t *d, uint32_t pc, iss_retire_t *r)
{
    memset(r, 0, sizeof *r);
    r->pc = pc;
    r->len = d->len;
    r->op = d->op;
    /* Branches, stores and system instructions have no rd; their bits 11:7 mean something else. */
    const int writes_rd = !((d->op >= OP_BEQ && d->op <= OP_BGEU) || (d->op >= OP_SB && d->op <= OP_SW) ||
                            (d->op >= OP_FENCE && d->op <= OP_WFI) || d->op == OP_TRIGGER ||
                            d->op == OP_ILLEGAL);
    r->rd = writes_rd && d->rd != ISS_XZERO_SINK ? d->rd : 0u;
    r->insn_known = (uint8_t)trace_fetch_raw(c, pc, d->len, &r->insn);
    if (d->op >= OP_LB && d->op <= OP_LHU) {
        r->mem = 1;
        r->mem_address = c->x[d->rs1] + (uint32_t)d->imm;
    } else if (d->op >= OP_SB && d->op <= OP_SW) {
        r->mem = 2;
        r->mem_address = c->x[d->rs1] + (uint32_t)d->imm;
        r->store_value = c->x[d->rs2];
    } else if (d->op >= OP_LR && d->op <= OP_AMOMAXU) {
        r->mem = d->op == OP_LR ? 1 : 2;
        r->mem_address = c->x[d->rs1];
        r->store_value = c->x[d->rs2];
    }
}

static void trace_retire(iss_core_t *c, iss_retire_t *r, uint64_t retired, uint64_t traps)
{
    c->retired = retired;
    c->traps = traps;
    r->rd_value = c->x[r->rd];
    if (c->trace.retired)
        c->trace.retired(c->trace.ctx, r);
}

static void trace_trap(iss_core_t *c, iss_trap_kind_t kind, uint64_t retired, uint64_t traps)
{
    c->retired = retired;
    c->traps = traps;
    if (!c->trace.trap)
        return;
    iss_trap_t t = {kind, 0, 0, c->pc, c->pc};
    if (kind != ISS_TRAP_RETURN)
        t = (iss_trap_t){kind, c->mcause, c->mtval, c->mepc, c->pc};
    c->trace.trap(c->trace.ctx, &t);
}

/* An instruction started is reported once it has completed (TRACE_RETIRE), or dropped when it
 * trapped or did not execute. */
#define TRACE_START()                                                                      \
    do {                                                                                   \
        if (c->trace.retired) {                                                            \
            trace_start(c, d, pc, &traced);                                                \
            tracing_one = 1;                                                               \
        }                                                                                  \
    } while (0)
#define TRACE_RETIRE()                                                                     \
    do {                                                                                   \
        if (tracing_one) {                                                                 \
            tracing_one = 0;                                                               \
            trace_retire(c, &traced, retired0 + steps - traps, traps0 + traps);            \
        }                                                                                  \
    } while (0)
#define TRACE_DROP() (tracing_one = 0)
#define TRACE_TRAP(kind) trace_trap(c, (kind), retired0 + steps - traps, traps0 + traps)
#else
#define TRACE_START() ((void)0)
#define TRACE_RETIRE() ((void)0)
#define TRACE_DROP() ((void)0)
#define TRACE_TRAP(kind) ((void)0)
#endif

iss_stop_t ISS_RUN_LOOP(iss_core_t *c, uint64_t budget)
{
    uint32_t *const x = c->x;
    const uint64_t retired0 = c->retired, traps0 = c->traps;
    uint32_t pc = c->pc;
    uint64_t steps = 0, traps = 0;
    const iss_decoded_t *d = NULL;
    uint32_t tval = 0;
    int cause = 0;
    iss_stop_t stop;
#if ISS_TRACED
    iss_retire_t traced;
    int tracing_one = 0;
#endif

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
    TRACE_RETIRE();
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
    TRACE_START();

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
        TRACE_RETIRE();
        TRACE_TRAP(ISS_TRAP_RETURN);
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
    TRACE_DROP();
    steps--; /* the instruction at pc has not executed */
    stop = ISS_STOP_DEBUG;
    goto out;

trap:
    TRACE_DROP();
    if (ISS_UNLIKELY(c->fatal)) {
        steps--; /* the failed instruction neither retired nor trapped */
        goto events;
    }
    c->pc = pc;
    c->retired = retired0 + steps - 1u - traps; /* exact for the trap-chain record */
    iss_take_exception(c, (uint32_t)cause, tval);
    traps++;
    pc = c->pc;
    TRACE_TRAP(ISS_TRAP_EXCEPTION);
    /* fall through: a trap handler entry is also where a pending event must be seen */
check:
    if (ISS_LIKELY(!c->events))
        goto dispatch;
events:
    TRACE_RETIRE();
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
        TRACE_TRAP(ISS_TRAP_INTERRUPT);
    }
    goto dispatch;

out:
    TRACE_RETIRE();
    c->pc = pc;
    c->retired = retired0 + steps - traps;
    c->traps = traps0 + traps; /* SYNC may have stored part of it already */
    return stop;
}

#undef TRACE_START
#undef TRACE_RETIRE
#undef TRACE_DROP
#undef TRACE_TRAP
