/*
 * amo.c - the A extension on a single hart: AMOs are plain read-modify-write, LR/SC use one
 * reservation (address + valid bit) that SC, traps and mret clear.
 *
 * Kept out of the execute loop because atomics are rare in compute code and their access
 * paths (fault causes, DMI read+write permission) differ from plain loads and stores.
 */
#include "iss_internal.h"

static uint32_t amo_apply(iss_op_t op, uint32_t mem, uint32_t reg)
{
    switch (op) {
    case OP_AMOSWAP: return reg;
    case OP_AMOADD: return mem + reg;
    case OP_AMOXOR: return mem ^ reg;
    case OP_AMOAND: return mem & reg;
    case OP_AMOOR: return mem | reg;
    case OP_AMOMIN: return (int32_t)mem < (int32_t)reg ? mem : reg;
    case OP_AMOMAX: return (int32_t)mem > (int32_t)reg ? mem : reg;
    case OP_AMOMINU: return mem < reg ? mem : reg;
    default: return mem > reg ? mem : reg; /* OP_AMOMAXU */
    }
}

static int write_word(iss_core_t *c, uint32_t addr, uint8_t *p, uint32_t v)
{
    if (p) {
        memcpy(p, &v, 4);
        if (iss_is_code_line(c, addr))
            iss_code_line_written(c, addr);
        return 0;
    }
    return iss_mem_store_slow(c, addr, 4, v);
}

int iss_exec_amo(iss_core_t *c, const iss_decoded_t *d, uint32_t *tval)
{
    uint32_t addr = c->x[d->rs1];
    iss_op_t op = (iss_op_t)d->op;
    uint32_t old = 0;
    int cause;
    *tval = addr;

    if (op == OP_LR) {
        if (addr & 3u)
            return CAUSE_MISALIGNED_LOAD;
        uint8_t *p = iss_dmi_lookup(c, addr, ISS_DMI_READ);
        if (p)
            memcpy(&old, p, 4);
        else if ((cause = iss_mem_load_slow(c, addr, 4, &old, ISS_ACCESS_LOAD)) != 0)
            return cause == CAUSE_BREAKPOINT ? cause : CAUSE_LOAD_ACCESS;
        c->resv_addr = addr;
        c->resv_valid = 1;
        c->x[d->rd] = old;
        return 0;
    }

    if (addr & 3u)
        return CAUSE_MISALIGNED_STORE; /* SC and AMOs report as store/AMO */
    uint8_t *p = iss_dmi_lookup(c, addr, ISS_DMI_RW);

    if (op == OP_SC) {
        int ok = c->resv_valid && c->resv_addr == addr;
        c->resv_valid = 0;
        if (ok) {
            cause = write_word(c, addr, p, c->x[d->rs2]);
            if (cause)
                return cause;
        }
        c->x[d->rd] = ok ? 0u : 1u;
        return 0;
    }

    if (p)
        memcpy(&old, p, 4);
    else if ((cause = iss_mem_load_slow(c, addr, 4, &old, ISS_ACCESS_AMO)) != 0)
        return cause == CAUSE_BREAKPOINT ? cause : CAUSE_STORE_ACCESS;
    cause = write_word(c, addr, p, amo_apply(op, old, c->x[d->rs2]));
    if (cause)
        return cause;
    c->x[d->rd] = old;
    return 0;
}
