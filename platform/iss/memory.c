/*
 * memory.c - the core's view of memory: DMI regions, the callback slow path, and keeping the
 * decoded-instruction cache coherent with writes.
 *
 * Coherence scheme (cheap on the common path):
 *  - decoding an instruction sets the bit of each 256-byte code line its bytes come from;
 *  - every store (DMI or callback) tests the bit of its line; a set bit drops the decoded
 *    entries whose bytes overlap that line and clears the bit (re-decoding sets it again);
 *  - fence.i, DMI changes and iss_invalidate_code flush everything or a range.
 * So self-modifying code works even without fence.i, and a data store costs one bit test.
 */
#include "iss_internal.h"

#include <stdlib.h>

void iss_flush_dcache(iss_core_t *c)
{
    for (uint32_t i = 0; i < ISS_DCACHE_SIZE; i++)
        c->dcache[i].pc = 1u; /* odd: matches no pc */
    memset(c->code_lines, 0, sizeof c->code_lines);
}

void iss_code_line_written(iss_core_t *c, uint32_t addr)
{
    uint32_t line = addr >> ISS_LINE_SHIFT;
    uint32_t start = line << ISS_LINE_SHIFT;
    /* Entries whose bytes overlap the line start at most 2 bytes before it (a 32-bit
     * instruction straddling in from the previous line). The cache holds each pc in exactly
     * one slot, so looking at those slots is enough. */
    for (uint32_t pc = start - 2u; pc != start + (1u << ISS_LINE_SHIFT); pc += 2u) {
        iss_decoded_t *d = &c->dcache[ISS_DCACHE_INDEX(pc)];
        if (d->pc == pc)
            d->pc = 1u;
    }
    c->code_lines[line >> 6] &= ~(1ull << (line & 63u));
}

int iss_mem_load_slow(iss_core_t *c, uint32_t addr, unsigned size, uint32_t *value,
                      iss_access_t kind)
{
    uint32_t v = 0;
    if (c->data_triggers && kind != ISS_ACCESS_FETCH) {
        int trig = iss_trigger_check_data(c, addr, size, 0);
        if (trig)
            return trig; /* a firmware trigger fires before the load happens */
    }
    iss_mem_status_t st = c->host.load(c->host.ctx, addr, size, &v, kind);
    int fault = kind == ISS_ACCESS_FETCH ? CAUSE_FETCH_ACCESS
                : kind == ISS_ACCESS_AMO ? CAUSE_STORE_ACCESS
                                         : CAUSE_LOAD_ACCESS;
    if (st == ISS_MEM_FATAL) {
        c->fatal = 1;
        c->events = 1;
        return fault;
    }
    if (st != ISS_MEM_OK)
        return fault;
    /* Do not trust the host to zero-extend. */
    *value = size == 4 ? v : v & ((1u << (8 * size)) - 1u);
    return 0;
}

int iss_mem_store_slow(iss_core_t *c, uint32_t addr, unsigned size, uint32_t value)
{
    /* The host may back this address with memory we decoded from (e.g. a ROM model that
     * accepts writes), so the coherence check applies here too. */
    if (c->data_triggers) {
        int trig = iss_trigger_check_data(c, addr, size, 1);
        if (trig)
            return trig; /* a firmware trigger fires before the store happens */
    }
    if (iss_is_code_line(c, addr))
        iss_code_line_written(c, addr);
    iss_mem_status_t st = c->host.store(c->host.ctx, addr, size, value);
    if (st == ISS_MEM_FATAL) {
        c->fatal = 1;
        c->events = 1;
    }
    return st == ISS_MEM_OK ? 0 : CAUSE_STORE_ACCESS;
}

/* The table the host's DMI calls change: the live one, or the parked one while a load/store
 * trigger keeps DMI aside. */
static iss_dmi_t *dmi_table(iss_core_t *c, unsigned **count)
{
    if (c->dmi_parked) {
        *count = &c->dmi_parked_count;
        return c->dmi_park;
    }
    *count = &c->dmi_count;
    return c->dmi;
}

static void clear_unused(iss_dmi_t *table, unsigned used)
{
    for (unsigned i = used; i < ISS_MAX_DMI; i++)
        table[i] = (iss_dmi_t){0, 0, NULL, 0}; /* size 0: the hot-region test never hits */
}

int iss_dmi_add(iss_core_t *c, uint32_t base, uint32_t size, void *ptr, unsigned perm)
{
    unsigned *count;
    iss_dmi_t *table = dmi_table(c, &count);
    if (!ptr || size == 0 || (base & 3u) || (size & 3u) || (uint64_t)base + size > 1ull << 32 ||
        *count == ISS_MAX_DMI || (perm & ~(unsigned)ISS_DMI_RW) || !perm)
        return -1;
    for (unsigned i = 0; i < *count; i++) {
        const iss_dmi_t *r = &table[i];
        if (base < r->base + (uint64_t)r->size && r->base < base + (uint64_t)size)
            return -1;
    }
    table[(*count)++] = (iss_dmi_t){base, size, (uint8_t *)ptr, perm};
    iss_flush_dcache(c);
    return 0;
}

void iss_dmi_invalidate(iss_core_t *c, uint32_t start, uint32_t end)
{
    unsigned *count;
    iss_dmi_t *table = dmi_table(c, &count);
    unsigned kept = 0;
    for (unsigned i = 0; i < *count; i++) {
        const iss_dmi_t r = table[i];
        uint32_t last = r.base + (r.size - 1u);
        if (last < start || r.base > end)
            table[kept++] = r;
    }
    *count = kept;
    clear_unused(table, kept);
    c->dmi_hot = 0;
    iss_flush_dcache(c);
}

void iss_dmi_park(iss_core_t *c, int on)
{
    if (!on == !c->dmi_parked)
        return;
    if (on) {
        memcpy(c->dmi_park, c->dmi, sizeof c->dmi);
        c->dmi_parked_count = c->dmi_count;
        c->dmi_count = 0;
        clear_unused(c->dmi, 0);
    } else {
        memcpy(c->dmi, c->dmi_park, sizeof c->dmi);
        c->dmi_count = c->dmi_parked_count;
    }
    c->dmi_parked = on;
    c->dmi_hot = 0;
    iss_flush_dcache(c); /* decoded entries were fetched through the other table */
}

void iss_invalidate_code(iss_core_t *c, uint32_t addr, uint32_t size)
{
    if (size == 0)
        return;
    /* Only lines holding decoded code need work, so walk the bitmap a word (64 lines) at a
     * time: a loader invalidating the whole 4 GiB space visits 256 Ki words instead of 16 Mi
     * lines. */
    const uint64_t last = ((uint64_t)addr + size - 1u) >> ISS_LINE_SHIFT;
    for (uint64_t line = addr >> ISS_LINE_SHIFT; line <= last;) {
        const uint64_t ahead = c->code_lines[line >> 6] >> (line & 63u);
        if (ahead == 0) {
            line = (line | 63u) + 1u; /* no code line left in this word */
            continue;
        }
        line += (uint64_t)__builtin_ctzll(ahead);
        if (line > last)
            break;
        iss_code_line_written(c, (uint32_t)(line << ISS_LINE_SHIFT));
        ++line;
    }
}
