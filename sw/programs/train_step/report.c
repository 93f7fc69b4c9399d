/* train_step's console report (report.h). */
#include "report.h"

#include <stdio.h>

static const char *u64(uint64_t v, char *buf) /* picolibc's small printf has no %llu */
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = 0;
    return buf;
}

#define READ_CSR64(lo, hi)                                                        \
    do {                                                                          \
        uint32_t h0, l0, h1;                                                      \
        do {                                                                      \
            __asm__ volatile("csrr %0, " hi : "=r"(h0));                          \
            __asm__ volatile("csrr %0, " lo : "=r"(l0));                          \
            __asm__ volatile("csrr %0, " hi : "=r"(h1));                          \
        } while (h0 != h1);                                                       \
        return ((uint64_t)h1 << 32) | l0;                                         \
    } while (0)

uint64_t ts_instructions(void) { READ_CSR64("minstret", "minstreth"); }
uint64_t ts_cycles(void) { READ_CSR64("mcycle", "mcycleh"); }

const char *ts_mode_name(uint32_t mode)
{
    static const char *const names[] = {"dense", "scnn", "ant", "ideal"};
    return mode < 4 ? names[mode] : "?";
}

void ts_report_start(ts_report *r)
{
    *r = (ts_report){0};
    r->start_instructions = ts_instructions();
    r->start_cycles = ts_cycles();
}

void ts_report_job(ts_report *r, uint32_t layer, const char *type, const char *op, ant_status status)
{
    ant_counters c = {0};
    char b[4][24];
    if (ant_read_counters(&c) != ANT_OK)
        printf("train_step: cannot read the accelerator's counters\n");
    printf("layer %lu %s %s: %s; cycles %s, RCPs %s, DRAM read %s B, written %s B\n", (unsigned long)layer, type, op,
           ant_error_name(status), u64(c.cycles, b[0]), u64(c.products_rcp, b[1]), u64(c.dram_read_bytes, b[2]),
           u64(c.dram_write_bytes, b[3]));
    r->jobs++;
    r->accel_cycles += c.cycles;
    r->rcps += c.products_rcp;
    r->dram_read += c.dram_read_bytes;
    r->dram_write += c.dram_write_bytes;
}

void ts_report_core(ts_report *r, uint32_t layer, const char *type, const char *what, uint64_t instructions)
{
    char b[24];
    printf("layer %lu %s %s (core): %s instructions\n", (unsigned long)layer, type, what, u64(instructions, b));
    r->core_layer_instructions += instructions;
}

void ts_report_summary(const ts_report *r, float loss)
{
    char b[8][24];
    /* Fixed point: the small printf prints no floats. */
    const int negative = loss < 0.0f;
    const uint64_t micro = (uint64_t)((negative ? -loss : loss) * 1e6f + 0.5f);
    printf("summary: %s jobs, accelerator cycles %s, RCPs %s, DRAM read %s B, written %s B\n", u64(r->jobs, b[0]),
           u64(r->accel_cycles, b[1]), u64(r->rcps, b[2]), u64(r->dram_read, b[3]), u64(r->dram_write, b[4]));
    printf("summary: core instructions %s (layers, loss and SGD %s; CSR conversions %s), "
           "core cycles incl. waiting %s\n",
           u64(ts_instructions() - r->start_instructions, b[5]), u64(r->core_layer_instructions, b[6]),
           u64(r->conversion_instructions, b[0]), u64(ts_cycles() - r->start_cycles, b[7]));
    printf("summary: loss %s%s.%06lu\n", negative ? "-" : "", u64(micro / 1000000u, b[0]),
           (unsigned long)(micro % 1000000u));
}
