/*
 * csr.c - the machine-mode CSR file (Zicsr, Zicntr, the M-mode registers of the privileged
 * spec 1.12 that an M-only RV32IMAC hart needs).
 *
 * Unimplemented CSRs raise illegal-instruction so firmware probing for a feature sees a clean
 * "not here" instead of silently reading zero.
 */
#include "iss_internal.h"

enum {
    CSR_MSTATUS = 0x300, CSR_MISA = 0x301, CSR_MIE = 0x304, CSR_MTVEC = 0x305,
    CSR_MSTATUSH = 0x310, CSR_MCOUNTINHIBIT = 0x320, CSR_MSCRATCH = 0x340, CSR_MEPC = 0x341,
    CSR_MCAUSE = 0x342, CSR_MTVAL = 0x343, CSR_MIP = 0x344,
    CSR_MCYCLE = 0xB00, CSR_MINSTRET = 0xB02, CSR_MCYCLEH = 0xB80, CSR_MINSTRETH = 0xB82,
    CSR_CYCLE = 0xC00, CSR_TIME = 0xC01, CSR_INSTRET = 0xC02,
    CSR_CYCLEH = 0xC80, CSR_TIMEH = 0xC81, CSR_INSTRETH = 0xC82,
    CSR_MVENDORID = 0xF11, CSR_MARCHID = 0xF12, CSR_MIMPID = 0xF13, CSR_MHARTID = 0xF14,
    CSR_MCONFIGPTR = 0xF15
};

/* MXL = 1 (32-bit), extensions A, C, I, M. Read-only: the core cannot switch C off, which
 * is also why instruction-address-misaligned can never be raised. */
#define MISA_VALUE ((1u << 30) | (1u << 0) | (1u << 2) | (1u << 8) | (1u << 12))

static uint64_t mcycle(const iss_core_t *c) { return c->retired + c->cycle_base; }
static uint64_t minstret(const iss_core_t *c) { return c->retired + c->instret_base; }

/* Unused hardware performance counters and their event selectors: they must exist, and
 * hard-wiring them to zero is the allowed minimal implementation. */
static int is_zero_counter(uint32_t csr)
{
    return (csr >= 0xB03 && csr <= 0xB1F) || (csr >= 0xB83 && csr <= 0xB9F) ||
           (csr >= 0xC03 && csr <= 0xC1F) || (csr >= 0xC83 && csr <= 0xC9F) ||
           (csr >= 0x323 && csr <= 0x33F) || csr == CSR_MCOUNTINHIBIT || csr == CSR_MSTATUSH;
}

int iss_csr_read(const iss_core_t *c, uint32_t csr, uint32_t *value)
{
    uint32_t v;
    switch (csr) {
    case CSR_MSTATUS: v = (c->mstatus & (MSTATUS_MIE | MSTATUS_MPIE)) | MSTATUS_MPP; break;
    case CSR_MISA: v = MISA_VALUE; break;
    case CSR_MIE: v = c->mie; break;
    case CSR_MIP: v = c->mip; break;
    case CSR_MTVEC: v = c->mtvec; break;
    case CSR_MSCRATCH: v = c->mscratch; break;
    case CSR_MEPC: v = c->mepc; break;
    case CSR_MCAUSE: v = c->mcause; break;
    case CSR_MTVAL: v = c->mtval; break;
    case CSR_MCYCLE: case CSR_CYCLE: v = (uint32_t)mcycle(c); break;
    case CSR_MCYCLEH: case CSR_CYCLEH: v = (uint32_t)(mcycle(c) >> 32); break;
    case CSR_MINSTRET: case CSR_INSTRET: v = (uint32_t)minstret(c); break;
    case CSR_MINSTRETH: case CSR_INSTRETH: v = (uint32_t)(minstret(c) >> 32); break;
    case CSR_TIME: case CSR_TIMEH:
        if (!c->host.time)
            return -1;
        v = (uint32_t)(c->host.time(c->host.ctx) >> (csr == CSR_TIMEH ? 32 : 0));
        break;
    case CSR_MVENDORID: case CSR_MARCHID: case CSR_MIMPID: case CSR_MCONFIGPTR: v = 0; break;
    case CSR_MHARTID: v = c->hartid; break;
    default:
        if (iss_trigger_csr_read(c, csr, &v) == 0 || iss_pmp_csr_read(c, csr, &v) == 0)
            break;
        if (!is_zero_counter(csr))
            return -1;
        v = 0;
        break;
    }
    *value = v;
    return 0;
}

/* A counter write replaces the increment the writing instruction would have caused (spec),
 * hence the +1: c->retired does not yet count the CSR instruction itself. */
static void set_counter(uint64_t *base, uint64_t retired, uint64_t now, uint32_t v, int high)
{
    uint64_t next = high ? (now & 0xffffffffull) | ((uint64_t)v << 32)
                         : (now & ~0xffffffffull) | v;
    *base = next - (retired + 1);
}

static void csr_write(iss_core_t *c, uint32_t csr, uint32_t v, int debugger)
{
    switch (csr) {
    case CSR_MSTATUS:
        c->mstatus = v & (MSTATUS_MIE | MSTATUS_MPIE);
        c->events = 1; /* MIE may have just unmasked a pending interrupt */
        break;
    case CSR_MIE:
        c->mie = v & MIP_MASK;
        c->events = 1;
        break;
    case CSR_MTVEC:
        /* Modes 2 and 3 are reserved; WARL lets us fall back to direct. */
        c->mtvec = (v & ~3u) | ((v & 3u) == 1u ? 1u : 0u);
        break;
    case CSR_MSCRATCH: c->mscratch = v; break;
    case CSR_MEPC: c->mepc = v & ~1u; break; /* IALIGN = 16 with C */
    case CSR_MCAUSE: c->mcause = v; break;
    case CSR_MTVAL: c->mtval = v; break;
    case CSR_MCYCLE: set_counter(&c->cycle_base, c->retired, mcycle(c), v, 0); break;
    case CSR_MCYCLEH: set_counter(&c->cycle_base, c->retired, mcycle(c), v, 1); break;
    case CSR_MINSTRET: set_counter(&c->instret_base, c->retired, minstret(c), v, 0); break;
    case CSR_MINSTRETH: set_counter(&c->instret_base, c->retired, minstret(c), v, 1); break;
    default:
        /* mip (lines are driven by the host), misa, zero counters: WARL/ignored */
        if (iss_pmp_csr_write(c, csr, v) != 0)
            iss_trigger_csr_write(c, csr, v, debugger);
        break;
    }
}

int iss_csr_access(iss_core_t *c, uint32_t csr, iss_op_t op, uint32_t operand, int writes,
                   uint32_t *old)
{
    uint32_t v;
    if (iss_csr_read(c, csr, &v))
        return CAUSE_ILLEGAL;
    /* csr[11:10] == 3 marks read-only CSRs: any write attempt is illegal, even one that
     * would not change the value. */
    if (writes && (csr >> 10) == 3u)
        return CAUSE_ILLEGAL;
    *old = v;
    if (!writes)
        return 0;
    switch (op) {
    case OP_CSRRW: case OP_CSRRWI: csr_write(c, csr, operand, 0); break;
    case OP_CSRRS: case OP_CSRRSI: csr_write(c, csr, v | operand, 0); break;
    default: csr_write(c, csr, v & ~operand, 0); break;
    }
    return 0;
}

int iss_debug_set_csr(iss_core_t *c, uint32_t csr, uint32_t value)
{
    uint32_t v;
    if (iss_csr_read(c, csr, &v) || (csr >> 10) == 3u)
        return -1;
    /* A debugger write is not an instruction, so a counter takes the value as written
     * instead of the one less that stands in for the writing instruction's increment. */
    uint64_t cycle_base = c->cycle_base, instret_base = c->instret_base;
    csr_write(c, csr, value, 1);
    if (c->cycle_base != cycle_base)
        c->cycle_base++;
    if (c->instret_base != instret_base)
        c->instret_base++;
    return 0;
}
