/*
 * pmp.c - physical memory protection CSRs (pmpcfg0-3, pmpaddr0-15) as WARL registers.
 *
 * The hart runs in machine mode only, where PMP constrains nothing unless an entry is locked.
 * This core keeps the registers with the spec's legal values and lock rules so that firmware
 * and test suites which configure PMP (every boot flow that plans a lower privilege mode does)
 * run unchanged, but it checks no access against them: a locked entry does not restrict
 * machine mode here. Granularity G = 0 (4 bytes), so every pmpaddr bit is writable and NA4
 * is a legal mode. pmpcfg0-3 and pmpaddr0-15 hold the 16 implemented entries.
 */
#include "iss_internal.h"

/* The spec names 64 entries (pmpcfg0-15, pmpaddr0-63); 16 are implemented and the others
 * read as zero and ignore writes, as the spec allows. RV32 uses every pmpcfg number. */
enum {
    CSR_PMPCFG0 = 0x3A0, CSR_PMPCFG15 = 0x3AF,
    CSR_PMPADDR0 = 0x3B0, CSR_PMPADDR63 = 0x3EF
};

#define PMP_R 0x01u
#define PMP_W 0x02u
#define PMP_A 0x18u
#define PMP_TOR 0x08u
#define PMP_L 0x80u
#define PMP_LEGAL_BITS 0x9Fu /* bits 6:5 are reserved and read as zero */

static int cfg_locked(const iss_core_t *c, unsigned entry) { return (c->pmpcfg[entry] & PMP_L) != 0; }

/* A locked TOR entry also freezes the address below it (its lower bound). */
static int addr_locked(const iss_core_t *c, unsigned entry)
{
    if (cfg_locked(c, entry))
        return 1;
    return entry + 1 < ISS_PMP_ENTRIES && cfg_locked(c, entry + 1) &&
           (c->pmpcfg[entry + 1] & PMP_A) == PMP_TOR;
}

static uint8_t legal_cfg(uint32_t byte)
{
    uint8_t v = (uint8_t)(byte & PMP_LEGAL_BITS);
    if ((v & (PMP_R | PMP_W)) == PMP_W) /* R=0, W=1 is reserved: keep it unwritable */
        v &= (uint8_t)~PMP_W;
    return v;
}

int iss_pmp_csr_read(const iss_core_t *c, uint32_t csr, uint32_t *value)
{
    if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG15) {
        const unsigned first = (csr - CSR_PMPCFG0) * 4u;
        uint32_t v = 0;
        for (unsigned i = 0; i < 4 && first + i < ISS_PMP_ENTRIES; i++)
            v |= (uint32_t)c->pmpcfg[first + i] << (8u * i);
        *value = v;
        return 0;
    }
    if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR63) {
        const unsigned entry = csr - CSR_PMPADDR0;
        *value = entry < ISS_PMP_ENTRIES ? c->pmpaddr[entry] : 0;
        return 0;
    }
    return -1;
}

int iss_pmp_csr_write(iss_core_t *c, uint32_t csr, uint32_t value)
{
    if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG15) {
        const unsigned first = (csr - CSR_PMPCFG0) * 4u;
        for (unsigned i = 0; i < 4 && first + i < ISS_PMP_ENTRIES; i++)
            if (!cfg_locked(c, first + i))
                c->pmpcfg[first + i] = legal_cfg(value >> (8u * i));
        return 0;
    }
    if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR63) {
        const unsigned entry = csr - CSR_PMPADDR0;
        if (entry < ISS_PMP_ENTRIES && !addr_locked(c, entry))
            c->pmpaddr[entry] = value;
        return 0;
    }
    return -1;
}

void iss_pmp_reset(iss_core_t *c)
{
    /* Reset leaves every entry OFF and unlocked (the spec requires A = 0 and L = 0). */
    for (unsigned i = 0; i < ISS_PMP_ENTRIES; i++) {
        c->pmpcfg[i] = 0;
        c->pmpaddr[i] = 0;
    }
}
