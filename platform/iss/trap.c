/*
 * trap.c - trap entry (exceptions and interrupts) and mret, machine mode only.
 */
#include "iss_internal.h"

static void enter_trap(iss_core_t *c, uint32_t cause, uint32_t tval, uint32_t target)
{
    if (!c->chain_valid || c->chain_retired != c->retired) {
        c->chain_valid = 1;
        c->chain_retired = c->retired;
        c->chain_mepc = c->pc;
        c->chain_mcause = cause;
        c->chain_mtval = tval;
    }
    c->mepc = c->pc;
    c->mcause = cause;
    c->mtval = tval;
    /* MPIE keeps the interrupted MIE so mret can restore it; MPP stays M (only mode). */
    c->mstatus = (c->mstatus & MSTATUS_MIE) ? MSTATUS_MPIE : 0;
    /* A trap is a context switch as far as LR/SC is concerned: the handler's own LR/SC
     * pairs must not succeed on a reservation taken by the interrupted code, and vice versa. */
    c->resv_valid = 0;
    c->pc = target;
}

void iss_take_exception(iss_core_t *c, uint32_t cause, uint32_t tval)
{
    enter_trap(c, cause, tval, c->mtvec & ~3u);
}

int iss_take_interrupt(iss_core_t *c)
{
    uint32_t pending = c->mip & c->mie;
    if (!pending || !(c->mstatus & MSTATUS_MIE))
        return 0;
    /* Priority fixed by the spec: external > software > timer. */
    uint32_t cause = (pending & (1u << ISS_IRQ_MEI))   ? ISS_IRQ_MEI
                     : (pending & (1u << ISS_IRQ_MSI)) ? ISS_IRQ_MSI
                                                       : ISS_IRQ_MTI;
    uint32_t base = c->mtvec & ~3u;
    uint32_t target = (c->mtvec & 1u) ? base + 4u * cause : base;
    enter_trap(c, 0x80000000u | cause, 0, target);
    return 1;
}

void iss_mret(iss_core_t *c)
{
    c->mstatus = MSTATUS_MPIE | ((c->mstatus & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    c->resv_valid = 0;
    c->pc = c->mepc;
    c->events = 1; /* MIE may be back on with an interrupt waiting */
}

int iss_trap_chain_origin(const iss_core_t *c, uint32_t *mepc, uint32_t *mcause, uint32_t *mtval)
{
    if (!c->chain_valid)
        return -1;
    *mepc = c->chain_mepc;
    *mcause = c->chain_mcause;
    *mtval = c->chain_mtval;
    return 0;
}
