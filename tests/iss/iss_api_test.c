/*
 * iss_api_test.c - unit tests of the ISS host API with hand-encoded programs and a fake
 * memory system: the contracts a SystemC wrapper relies on (budget, stop requests, fatal
 * callbacks, interrupts raised by the host, DMI changes, decoded-code coherence, wfi).
 *
 * Usage: iss_api_test <case>; exits 0 when the case passes.
 */
#include "iss.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RAM_BASE 0x80000000u
#define RAM_SIZE 0x10000u
#define MMIO 0x10000000u

typedef struct {
    uint8_t ram[RAM_SIZE];
    unsigned loads, stores;
    iss_core_t *core;
    int stop_on_mmio_store;
    int fatal_on_mmio_load;
} world_t;

static world_t w;

static iss_mem_status_t load_cb(void *ctx, uint32_t addr, unsigned size, uint32_t *value,
                                iss_access_t kind)
{
    world_t *p = ctx;
    (void)kind;
    p->loads++;
    if (addr >= RAM_BASE && addr - RAM_BASE + size <= RAM_SIZE) {
        uint32_t v = 0;
        memcpy(&v, p->ram + (addr - RAM_BASE), size);
        *value = v;
        return ISS_MEM_OK;
    }
    if (addr == MMIO) {
        *value = 0x1234;
        return p->fatal_on_mmio_load ? ISS_MEM_FATAL : ISS_MEM_OK;
    }
    return ISS_MEM_FAULT;
}

static iss_mem_status_t store_cb(void *ctx, uint32_t addr, unsigned size, uint32_t value)
{
    world_t *p = ctx;
    p->stores++;
    if (addr >= RAM_BASE && addr - RAM_BASE + size <= RAM_SIZE) {
        memcpy(p->ram + (addr - RAM_BASE), &value, size);
        return ISS_MEM_OK;
    }
    if (addr == MMIO) {
        if (p->stop_on_mmio_store)
            iss_request_stop(p->core);
        return ISS_MEM_OK;
    }
    return ISS_MEM_FAULT;
}

/* Encoders for the few instructions the cases need. */
static uint32_t addi(unsigned rd, unsigned rs1, int imm)
{
    return ((uint32_t)imm << 20) | (rs1 << 15) | (rd << 7) | 0x13u;
}
static uint32_t lui(unsigned rd, uint32_t imm20) { return (imm20 << 12) | (rd << 7) | 0x37u; }
static uint32_t lw(unsigned rd, unsigned rs1, int imm)
{
    return ((uint32_t)imm << 20) | (rs1 << 15) | (2u << 12) | (rd << 7) | 0x03u;
}
static uint32_t sw(unsigned rs2, unsigned rs1, int imm)
{
    uint32_t i = (uint32_t)imm;
    return ((i >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (2u << 12) | ((i & 31u) << 7) |
           0x23u;
}
static uint32_t jal(unsigned rd, int off)
{
    uint32_t i = (uint32_t)off;
    return (((i >> 20) & 1u) << 31) | (((i >> 1) & 0x3ffu) << 21) | (((i >> 11) & 1u) << 20) |
           (((i >> 12) & 0xffu) << 12) | (rd << 7) | 0x6fu;
}
static uint32_t csrw(unsigned csr, unsigned rs1) { return (csr << 20) | (rs1 << 15) | (1u << 12) | 0x73u; }
#define WFI 0x10500073u

static void put(unsigned index, uint32_t insn) { memcpy(w.ram + 4 * index, &insn, 4); }

static int failures;
#define EXPECT(cond)                                                                       \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: expectation failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                                    \
        }                                                                                  \
    } while (0)

static void setup(int dmi)
{
    memset(&w, 0, sizeof w);
    iss_host_t host = {&w, load_cb, store_cb, NULL};
    w.core = iss_create(&host, RAM_BASE, 0);
    if (!w.core) {
        fprintf(stderr, "iss_create failed\n");
        exit(2);
    }
    if (dmi && iss_dmi_add(w.core, RAM_BASE, RAM_SIZE, w.ram, ISS_DMI_RW) != 0) {
        fprintf(stderr, "iss_dmi_add failed\n");
        exit(2);
    }
}

static void run_stops_after_exact_budget(void)
{
    setup(1);
    put(0, addi(5, 5, 1));
    put(1, jal(0, -4)); /* loop: x5 += 1 forever */
    EXPECT(iss_run(w.core, 10) == ISS_STOP_BUDGET);
    EXPECT(iss_retired(w.core) == 10);
    EXPECT(iss_get_reg(w.core, 5) == 5);
    EXPECT(iss_run(w.core, 0) == ISS_STOP_BUDGET);
    EXPECT(iss_retired(w.core) == 10);
    EXPECT(iss_run(w.core, 1) == ISS_STOP_BUDGET);
    EXPECT(iss_get_reg(w.core, 5) == 6);
}

static void stop_requested_from_store_callback_ends_run_after_the_store(void)
{
    setup(1);
    w.stop_on_mmio_store = 1;
    put(0, lui(6, MMIO >> 12));
    put(1, sw(0, 6, 0));
    put(2, addi(7, 0, 1));
    EXPECT(iss_run(w.core, 100) == ISS_STOP_HOST);
    EXPECT(iss_retired(w.core) == 2);
    EXPECT(iss_get_pc(w.core) == RAM_BASE + 8);
    EXPECT(iss_get_reg(w.core, 7) == 0);
    EXPECT(iss_run(w.core, 1) == ISS_STOP_BUDGET); /* the request does not outlive the run */
    EXPECT(iss_get_reg(w.core, 7) == 1);
}

static void fatal_callback_stops_run_without_retiring(void)
{
    setup(1);
    w.fatal_on_mmio_load = 1;
    put(0, lui(6, MMIO >> 12));
    put(1, lw(7, 6, 0));
    EXPECT(iss_run(w.core, 100) == ISS_STOP_FATAL);
    EXPECT(iss_retired(w.core) == 1);
    EXPECT(iss_get_pc(w.core) == RAM_BASE + 4);
    uint32_t mcause = 99;
    EXPECT(iss_get_csr(w.core, 0x342, &mcause) == 0 && mcause == 0); /* no trap taken */
}

static void host_raised_irq_is_taken_before_next_instruction(void)
{
    setup(1);
    iss_set_reg(w.core, 8, RAM_BASE + 256);
    put(0, csrw(0x305, 8));     /* mtvec = handler at RAM_BASE + 256 */
    put(1, addi(5, 0, 0x7ff));
    put(2, addi(5, 5, 1));      /* x5 = 0x800 = MEIE */
    put(3, csrw(0x304, 5));     /* mie = MEIE */
    put(4, addi(6, 0, 8));
    put(5, csrw(0x300, 6));     /* mstatus.MIE */
    put(6, addi(7, 7, 1));      /* loop: x7 += 1 */
    put(7, jal(0, -4));
    put(64, jal(0, 0));         /* handler: spin */
    EXPECT(iss_run(w.core, 20) == ISS_STOP_BUDGET);
    uint32_t x7 = iss_get_reg(w.core, 7);
    EXPECT(x7 > 0);
    iss_set_irq(w.core, ISS_IRQ_MEI, 1);
    EXPECT(iss_irq_pending(w.core));
    EXPECT(iss_run(w.core, 5) == ISS_STOP_BUDGET);
    EXPECT(iss_get_reg(w.core, 7) == x7); /* the loop did not advance */
    uint32_t mcause = 0;
    EXPECT(iss_get_csr(w.core, 0x342, &mcause) == 0 && mcause == 0x8000000bu);
    EXPECT(iss_get_pc(w.core) == RAM_BASE + 256);
}

static void dmi_invalidate_routes_accesses_to_callbacks(void)
{
    setup(1);
    uint32_t data = 0xcafef00d;
    memcpy(w.ram + 0x1000, &data, 4);
    put(0, lui(6, (RAM_BASE + 0x1000) >> 12));
    put(1, lw(7, 6, 0));
    put(2, jal(0, -4));
    EXPECT(iss_run(w.core, 2) == ISS_STOP_BUDGET);
    EXPECT(iss_get_reg(w.core, 7) == data);
    EXPECT(w.loads == 0);
    iss_dmi_invalidate(w.core, RAM_BASE + 0x100, RAM_BASE + 0x103);
    iss_set_reg(w.core, 7, 0);
    EXPECT(iss_run(w.core, 1) == ISS_STOP_BUDGET); /* jal: refetched through callbacks */
    unsigned after_fetch = w.loads;
    EXPECT(after_fetch == 2);                      /* two 16-bit fetch halves */
    EXPECT(iss_run(w.core, 1) == ISS_STOP_BUDGET); /* lw: fetch and data via callbacks */
    EXPECT(w.loads == after_fetch + 3);
    EXPECT(iss_get_reg(w.core, 7) == data);
    EXPECT(iss_dmi_add(w.core, RAM_BASE, RAM_SIZE, w.ram, ISS_DMI_RW) == 0);
    EXPECT(iss_dmi_add(w.core, RAM_BASE + 4, 4, w.ram, ISS_DMI_RW) == -1); /* overlap */
    EXPECT(iss_dmi_add(w.core, 0x1002, 4, w.ram, ISS_DMI_RW) == -1);        /* unaligned */
}

static void host_code_change_needs_invalidate_code(void)
{
    setup(1);
    put(0, addi(5, 5, 1));
    put(1, jal(0, -4));
    EXPECT(iss_run(w.core, 2) == ISS_STOP_BUDGET);
    EXPECT(iss_get_reg(w.core, 5) == 1);
    put(0, addi(5, 5, 100)); /* behind the core's back, like a DMA engine */
    iss_invalidate_code(w.core, RAM_BASE, 4);
    EXPECT(iss_run(w.core, 2) == ISS_STOP_BUDGET);
    EXPECT(iss_get_reg(w.core, 5) == 101);
}

/* Code in two lines 16 KiB apart (different words of the code-line bitmap): invalidating the
 * whole address space, as the ELF loader does, and a 2-byte range straddling the last line of
 * one word and the first of the next both reach the decoded entries there. */
static void invalidate_code_reaches_lines_in_every_bitmap_word(void)
{
    setup(1);
    const unsigned far = 0x4000u / 4u; /* word index of RAM_BASE + 0x4000: line 64 of RAM */
    put(0, addi(5, 5, 1));
    put(1, jal(0, 0x4000 - 4));
    put(far, addi(6, 6, 1));
    put(far + 1, jal(0, -0x4000 - 4));
    EXPECT(iss_run(w.core, 4) == ISS_STOP_BUDGET);
    EXPECT(iss_get_reg(w.core, 5) == 1 && iss_get_reg(w.core, 6) == 1);

    put(0, addi(5, 5, 100));
    put(far, addi(6, 6, 100));
    iss_invalidate_code(w.core, 0, 0xFFFFFFFFu);
    EXPECT(iss_run(w.core, 4) == ISS_STOP_BUDGET);
    EXPECT(iss_get_reg(w.core, 5) == 101 && iss_get_reg(w.core, 6) == 101);

    put(far, addi(6, 6, 1000));
    iss_invalidate_code(w.core, RAM_BASE + 0x3FFFu, 2); /* last byte of line 63, first of 64 */
    EXPECT(iss_run(w.core, 4) == ISS_STOP_BUDGET);
    EXPECT(iss_get_reg(w.core, 5) == 201 && iss_get_reg(w.core, 6) == 1101);
}

static void guest_store_into_decoded_code_is_seen(void)
{
    setup(1);
    /* x6 = address of insn 3, x7 = new instruction word; loop: store it, run insn 3 */
    uint32_t patched = addi(5, 5, 100);
    memcpy(w.ram + 0x2000, &patched, 4);
    put(0, lui(6, RAM_BASE >> 12));
    put(1, lui(8, (RAM_BASE + 0x2000) >> 12));
    put(2, lw(7, 8, 0));
    put(3, addi(5, 5, 1));  /* executed once as +1 ... */
    put(4, sw(7, 6, 12));   /* ... then overwritten by +100 */
    put(5, jal(0, -8));     /* back to insn 3 */
    EXPECT(iss_run(w.core, 6 + 2) == ISS_STOP_BUDGET);
    EXPECT(iss_get_reg(w.core, 5) == 101);
}

static void x0_cannot_be_written(void)
{
    setup(1);
    iss_set_reg(w.core, 0, 5);
    EXPECT(iss_get_reg(w.core, 0) == 0);
    put(0, addi(0, 0, 5));
    put(1, addi(5, 0, 0));
    EXPECT(iss_run(w.core, 2) == ISS_STOP_BUDGET);
    EXPECT(iss_get_reg(w.core, 5) == 0);
}

static void wfi_returns_to_host_and_resumes(void)
{
    setup(0); /* also exercises fetch through callbacks */
    put(0, addi(5, 0, 0x80));
    put(1, csrw(0x304, 5)); /* mie = MTIE, mstatus.MIE = 0 */
    put(2, WFI);
    put(3, addi(6, 0, 1));
    EXPECT(iss_run(w.core, 100) == ISS_STOP_WFI);
    EXPECT(iss_retired(w.core) == 3);
    EXPECT(iss_get_pc(w.core) == RAM_BASE + 12);
    EXPECT(!iss_irq_pending(w.core));
    iss_set_irq(w.core, ISS_IRQ_MTI, 1);
    EXPECT(iss_irq_pending(w.core));
    EXPECT(iss_run(w.core, 1) == ISS_STOP_BUDGET); /* MIE = 0: resumes without a trap */
    EXPECT(iss_get_reg(w.core, 6) == 1);
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } cases[] = {
#define CASE(f) {#f, f}
        CASE(run_stops_after_exact_budget),
        CASE(stop_requested_from_store_callback_ends_run_after_the_store),
        CASE(fatal_callback_stops_run_without_retiring),
        CASE(host_raised_irq_is_taken_before_next_instruction),
        CASE(dmi_invalidate_routes_accesses_to_callbacks),
        CASE(host_code_change_needs_invalidate_code),
        CASE(invalidate_code_reaches_lines_in_every_bitmap_word),
        CASE(guest_store_into_decoded_code_is_seen),
        CASE(x0_cannot_be_written),
        CASE(wfi_returns_to_host_and_resumes),
    };
    int ran = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (argc > 1 && strcmp(argv[1], cases[i].name) != 0)
            continue;
        cases[i].fn();
        iss_destroy(w.core);
        w.core = NULL;
        ran++;
    }
    if (!ran) {
        fprintf(stderr, "iss_api_test: unknown case '%s'\n", argc > 1 ? argv[1] : "");
        return 2;
    }
    return failures ? 1 : 0;
}
