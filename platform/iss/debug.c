/*
 * debug.c - what an external debugger needs from the hart: halting on ebreak, halting or
 * trapping on address triggers (debug spec, type 2 "mcontrol"), debugger CSR writes, and
 * the step count that tells a single step is done.
 *
 * Cost model: nothing here runs on the fast path. An armed execute trigger replaces the
 * decoded op of the matching pc with OP_TRIGGER (so only that pc pays), and an armed
 * load/store trigger parks the DMI regions so that every access goes through the callback
 * slow path, where iss_trigger_check_data looks at it.
 */
#include "iss_internal.h"

enum { CSR_TSELECT = 0x7A0, CSR_TDATA1 = 0x7A1, CSR_TDATA2 = 0x7A2, CSR_TDATA3 = 0x7A3,
       CSR_TINFO = 0x7A4 };

/* tdata1 bits this implementation keeps; the rest reads as fixed values. */
#define MC_MASKMAX (31u << 21) /* NAPOT ranges up to 2^31 bytes */
#define MC_ACTION_MASK (15u << 12)
#define MC_MATCH_MASK (15u << 7)
#define MC_ENABLES (ISS_MCONTROL_EXECUTE | ISS_MCONTROL_STORE | ISS_MCONTROL_LOAD)

iss_halt_t iss_debug_halt(const iss_core_t *c) { return c->halt; }

void iss_debug_set_ebreak_halts(iss_core_t *c, int on) { c->ebreak_halts = on != 0; }

void iss_debug_set_irq_inhibit(iss_core_t *c, int on)
{
    c->irq_inhibit = on != 0;
    c->events = 1; /* lifting it may let a pending interrupt in */
}

uint64_t iss_steps(const iss_core_t *c) { return c->retired + c->traps; }

/* WARL legalisation of a tdata1 write. Only mcontrol exists, so the type reads 2 whatever
 * was written; writing 0 (the usual "disable") leaves a trigger that matches nothing.
 * Supported: match equal/NAPOT/>=/<, the M-mode enable, execute/store/load, action 0
 * (breakpoint exception) and, for the debugger only (dmode), action 1 (halt). */
static uint32_t legal_tdata1(uint32_t v, int debugger)
{
    uint32_t out = ISS_MCONTROL_TYPE | MC_MASKMAX;
    int dmode = debugger && (v & ISS_MCONTROL_DMODE);
    if (dmode)
        out |= ISS_MCONTROL_DMODE;
    out |= v & (ISS_MCONTROL_HIT | ISS_MCONTROL_M | MC_ENABLES);
    uint32_t match = (v & MC_MATCH_MASK) >> 7;
    if (match <= 3u)
        out |= match << 7;
    if (dmode && (v & MC_ACTION_MASK) == ISS_MCONTROL_ACTION_DEBUG) {
        out |= ISS_MCONTROL_ACTION_DEBUG;
        /* A debugger's data trigger halts after the access (so the debugger sees the new
         * value), which timing = 1 states. */
        if (out & (ISS_MCONTROL_STORE | ISS_MCONTROL_LOAD))
            out |= ISS_MCONTROL_TIMING;
    }
    return out;
}

static int armed(uint32_t tdata1, uint32_t what)
{
    return (tdata1 & ISS_MCONTROL_M) && (tdata1 & what);
}

/* Re-derives the armed flags after any trigger change. Decoded code is dropped whenever an
 * execute trigger could have appeared, moved or gone, and DMI is parked exactly while a
 * load/store trigger is armed. */
static void triggers_changed(iss_core_t *c, uint32_t old_tdata1)
{
    int exec = 0, data = 0;
    for (unsigned i = 0; i < ISS_TRIGGERS; i++) {
        exec |= armed(c->tdata1[i], ISS_MCONTROL_EXECUTE);
        data |= armed(c->tdata1[i], ISS_MCONTROL_STORE | ISS_MCONTROL_LOAD);
    }
    if (exec || c->exec_triggers || armed(old_tdata1, ISS_MCONTROL_EXECUTE))
        iss_flush_dcache(c);
    c->exec_triggers = exec;
    c->data_triggers = data;
    iss_dmi_park(c, data);
}

static void write_trigger(iss_core_t *c, unsigned i, uint32_t csr, uint32_t v, int debugger)
{
    uint32_t old = c->tdata1[i];
    /* A trigger the debugger owns is out of the firmware's reach (debug spec, dmode). */
    if (!debugger && (old & ISS_MCONTROL_DMODE))
        return;
    if (csr == CSR_TDATA1)
        c->tdata1[i] = legal_tdata1(v, debugger);
    else
        c->tdata2[i] = v;
    triggers_changed(c, old);
}

void iss_debug_reset(iss_core_t *c)
{
    for (unsigned i = 0; i < ISS_TRIGGERS; i++) {
        c->tdata1[i] = legal_tdata1(0, 0);
        c->tdata2[i] = 0;
    }
    c->tselect = 0;
    c->debug_halt = 0;
    c->halt = (iss_halt_t){ISS_HALT_NONE, 0, 0, 0};
    triggers_changed(c, 0);
}

int iss_trigger_csr_read(const iss_core_t *c, uint32_t csr, uint32_t *value)
{
    switch (csr) {
    case CSR_TSELECT: *value = c->tselect; return 0;
    case CSR_TDATA1: *value = c->tdata1[c->tselect]; return 0;
    case CSR_TDATA2: *value = c->tdata2[c->tselect]; return 0;
    case CSR_TDATA3: *value = 0; return 0;
    case CSR_TINFO: *value = 1u << 2; return 0; /* type 2 only */
    default: return -1;
    }
}

int iss_trigger_csr_write(iss_core_t *c, uint32_t csr, uint32_t value, int debugger)
{
    switch (csr) {
    case CSR_TSELECT:
        /* WARL: an index past the last trigger is not stored, so software probing for the
         * number of triggers reads back its previous value. */
        if (value < ISS_TRIGGERS)
            c->tselect = value;
        return 0;
    case CSR_TDATA1: case CSR_TDATA2:
        write_trigger(c, c->tselect, csr, value, debugger);
        return 0;
    case CSR_TDATA3: case CSR_TINFO: return 0; /* tdata3 hard-wired 0; tinfo read-only */
    default: return -1;
    }
}

int iss_trigger_get(const iss_core_t *c, unsigned index, uint32_t *tdata1, uint32_t *tdata2)
{
    if (index >= ISS_TRIGGERS)
        return -1;
    *tdata1 = c->tdata1[index];
    *tdata2 = c->tdata2[index];
    return 0;
}

int iss_trigger_set(iss_core_t *c, unsigned index, uint32_t tdata1, uint32_t tdata2)
{
    if (index >= ISS_TRIGGERS)
        return -1;
    uint32_t old = c->tdata1[index];
    c->tdata2[index] = tdata2;
    c->tdata1[index] = legal_tdata1(tdata1, 1);
    triggers_changed(c, old);
    return 0;
}

/* Does [addr, addr + size) contain a byte the trigger matches? */
static int address_matches(uint32_t tdata1, uint32_t tdata2, uint32_t addr, unsigned size)
{
    uint64_t lo = addr, hi = (uint64_t)addr + size; /* [lo, hi) */
    switch ((tdata1 & MC_MATCH_MASK) >> 7) {
    case 0: return tdata2 >= lo && tdata2 < hi;
    case 1: {
        /* NAPOT: the trailing ones of tdata2 give the size, 2^(ones + 1) bytes. */
        unsigned ones = 0;
        while (ones < 31u && (tdata2 >> ones) & 1u)
            ones++;
        uint64_t span = 1ull << (ones + 1u);
        uint64_t base = tdata2 & ~(uint32_t)(span - 1u);
        return base < hi && lo < base + span;
    }
    case 2: return hi - 1u >= tdata2;
    default: return lo < tdata2;
    }
}

int iss_trigger_match_execute(const iss_core_t *c, uint32_t pc)
{
    for (unsigned i = 0; i < ISS_TRIGGERS; i++)
        if (armed(c->tdata1[i], ISS_MCONTROL_EXECUTE) &&
            address_matches(c->tdata1[i], c->tdata2[i], pc, 1))
            return (int)i;
    return -1;
}

int iss_trigger_check_data(iss_core_t *c, uint32_t addr, unsigned size, int store)
{
    uint32_t kind = store ? ISS_MCONTROL_STORE : ISS_MCONTROL_LOAD;
    for (unsigned i = 0; i < ISS_TRIGGERS; i++) {
        uint32_t t1 = c->tdata1[i];
        if (!armed(t1, kind) || !address_matches(t1, c->tdata2[i], addr, size))
            continue;
        c->tdata1[i] |= ISS_MCONTROL_HIT;
        if (!(t1 & ISS_MCONTROL_ACTION_DEBUG))
            return CAUSE_BREAKPOINT; /* mtval is the access address, set by the caller */
        if (!c->debug_halt) {
            c->debug_halt = 1;
            c->events = 1;
            c->halt = (iss_halt_t){ISS_HALT_DATA, i, addr, store};
        }
        return 0;
    }
    return 0;
}
