/* train_step's console report: one line per accelerator job and per piece of core work, and
 * a summary (accelerator cycles, core instructions, simulated time, loss). */
#ifndef TRAIN_STEP_REPORT_H
#define TRAIN_STEP_REPORT_H

#include <stdint.h>

#include "ant_driver.h"

typedef struct ts_report {
    uint64_t start_instructions, start_cycles;
    uint64_t jobs, accel_cycles, rcps, dram_read, dram_write;
    uint64_t core_layer_instructions;
    uint64_t conversion_instructions; /* CSR compression and expansion */
} ts_report;

uint64_t ts_instructions(void); /* minstret */
uint64_t ts_cycles(void);       /* mcycle: core clock cycles, time asleep in wfi included */
const char *ts_mode_name(uint32_t mode);

void ts_report_start(ts_report *r);
/* A finished job: reads the accelerator's counters and prints them. */
void ts_report_job(ts_report *r, uint32_t layer, const char *type, const char *op, ant_status status);
/* Core work on a layer (instructions retired by it). */
void ts_report_core(ts_report *r, uint32_t layer, const char *type, const char *what, uint64_t instructions);
void ts_report_summary(const ts_report *r, float loss);

#endif
