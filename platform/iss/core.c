/*
 * core.c - life cycle and host-facing accessors of the core.
 */
#include "iss_internal.h"

#include <stdlib.h>

iss_core_t *iss_create(const iss_host_t *host, uint32_t reset_pc, uint32_t hartid)
{
    if (!host || !host->load || !host->store)
        return NULL;
    /* calloc: the 2 MiB code-line bitmap stays mostly untouched, so the OS never backs it. */
    iss_core_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->host = *host;
    c->hartid = hartid;
    iss_reset(c, reset_pc);
    return c;
}

void iss_destroy(iss_core_t *core) { free(core); }

void iss_reset(iss_core_t *c, uint32_t reset_pc)
{
    memset(c->x, 0, sizeof c->x);
    c->pc = reset_pc & ~1u;
    c->mstatus = 0;
    c->mie = 0;
    c->mip = 0;
    c->mtvec = 0;
    c->mscratch = c->mepc = c->mcause = c->mtval = 0;
    c->instret_base = 0 - c->retired; /* minstret and mcycle restart from 0 */
    c->cycle_base = 0 - c->retired;
    c->resv_valid = 0;
    c->events = 1;
    c->stop_requested = 0;
    c->fatal = 0;
    c->chain_valid = 0;
    iss_debug_reset(c);
    iss_pmp_reset(c);
    iss_flush_dcache(c);
}

iss_stop_t iss_run(iss_core_t *c, uint64_t budget)
{
    /* One test per call, none per instruction: the traced loop is a separate copy. */
    return ISS_UNLIKELY(c->tracing) ? iss_run_traced(c, budget) : iss_run_plain(c, budget);
}

void iss_set_trace(iss_core_t *c, const iss_trace_t *trace)
{
    c->tracing = trace != NULL;
    if (trace)
        c->trace = *trace;
    else
        memset(&c->trace, 0, sizeof c->trace);
}

void iss_request_stop(iss_core_t *c)
{
    c->stop_requested = 1;
    c->events = 1;
}

void iss_set_irq(iss_core_t *c, iss_irq_t line, int level)
{
    uint32_t bit = 1u << (unsigned)line;
    if (!(bit & MIP_MASK))
        return;
    c->mip = level ? (c->mip | bit) : (c->mip & ~bit);
    c->events = 1;
}

int iss_irq_pending(const iss_core_t *c) { return (c->mip & c->mie) != 0; }

uint64_t iss_retired(const iss_core_t *c) { return c->retired; }

void iss_add_cycles(iss_core_t *c, uint64_t cycles) { c->cycle_base += cycles; }

uint32_t iss_get_pc(const iss_core_t *c) { return c->pc; }

void iss_set_pc(iss_core_t *c, uint32_t pc) { c->pc = pc & ~1u; }

uint32_t iss_get_reg(const iss_core_t *c, unsigned index)
{
    return index > 0 && index < 32 ? c->x[index] : 0;
}

void iss_set_reg(iss_core_t *c, unsigned index, uint32_t value)
{
    if (index > 0 && index < 32)
        c->x[index] = value;
}

int iss_get_csr(const iss_core_t *c, uint32_t csr, uint32_t *value)
{
    return iss_csr_read(c, csr, value);
}
