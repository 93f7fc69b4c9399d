/* The ANT accelerator driver: a small C API over the registers of sw/include/ant_accel.h.
 *
 *   ant_init()                       find the accelerator, reset it, enable its interrupt
 *   ant_submit(desc, &ticket)        queue one job descriptor (in DRAM) and ring the doorbell
 *   ant_wait(ticket, desc, timeout)  sleep in wfi until that job has finished; its error code
 *   ant_read_counters(&c)            counters of the last finished job
 *   ant_last_error(), ant_error_name(code)
 *   ant_tensor_*(), ant_job_conv()   fill descriptors; ant_arena_*() carve DRAM scratch
 *
 * Every function that can fail returns an ant_status the caller must look at: ANT_OK, an
 * ant_error code the accelerator reported (1..ANT_ERR_BUS), or a driver code (ANT_DRV_*).
 * No dynamic allocation: descriptors and arrays live in memory the caller provides (an
 * ant_arena is a bump pointer over a caller-given range). One core, no threads: the
 * interrupt handler only acknowledges and counts. */
#ifndef ANT_DRIVER_H
#define ANT_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "ant_accel.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ANT_MUST_CHECK __attribute__((warn_unused_result))

typedef enum ant_status {
    ANT_OK = 0,
    /* 1 .. ANT_ERR_BUS: the accelerator's ant_error codes (ant_accel.h) */
    ANT_DRV_NO_DEVICE = 100, /* ID/VERSION registers do not match */
    ANT_DRV_INVALID = 101,   /* a NULL pointer, zero size or otherwise bad argument */
    ANT_DRV_TIMEOUT = 102,   /* ant_wait's timeout expired first */
    ANT_DRV_NO_MEMORY = 103, /* an arena is exhausted */
    ANT_DRV_NOT_READY = 104  /* ant_init has not succeeded */
} ant_status;

/* The descriptor's status word while the job is queued or running. */
#define ANT_JOB_PENDING 0xFFFFFFFFu

/* Jobs are numbered in submission order from 1 after ant_init (wraps after 2^32). */
typedef uint32_t ant_ticket;

typedef struct ant_counters {
    uint64_t cycles;          /* accelerator cycles of the last job */
    uint64_t vector_pairs;    /* vector pairs issued to the PE array */
    uint64_t products_valid;  /* products that land in an output */
    uint64_t products_rcp;    /* redundant cartesian products issued */
    uint64_t dram_read_bytes;
    uint64_t dram_write_bytes;
} ant_counters;

/* Checks ID and VERSION, resets the accelerator (queue, status, counters), enables it and
 * its DONE/ERROR interrupt on MEIP, and turns interrupts on (mstatus.MIE). */
ANT_MUST_CHECK ant_status ant_init(void);

/* Sets desc->status to ANT_JOB_PENDING, writes the descriptor's address and rings the
 * doorbell. ANT_ERR_QUEUE_FULL when ANT_ACCEL_QUEUE_CAPACITY jobs are outstanding (nothing
 * queued). On ANT_OK *ticket names the job for ant_wait. */
ANT_MUST_CHECK ant_status ant_submit(ant_job_desc *desc, ant_ticket *ticket);

/* Rings the doorbell for a descriptor address without touching memory there (for
 * descriptors the firmware cannot or must not write, e.g. testing the address checks). */
ANT_MUST_CHECK ant_status ant_submit_address(uint32_t desc_address, ant_ticket *ticket);

/* Sleeps (wfi, interrupt-driven, no polling loop on the registers) until job `ticket` has
 * finished, then returns its outcome: ANT_OK or its ant_error. `desc` is the job's
 * descriptor (its status word is the outcome); pass NULL for a descriptor ant_submit_address
 * queued: the outcome then comes from STATUS/ERROR_DESC, exact when it is the last job
 * finished. timeout_us = 0 waits forever, otherwise ANT_DRV_TIMEOUT after that many
 * microseconds of mtime (the driver then owns the timer interrupt while it waits). */
ANT_MUST_CHECK ant_status ant_wait(ant_ticket ticket, const ant_job_desc *desc, uint32_t timeout_us);

/* Stops (0) or restarts (1) the job sequencer's intake: queued jobs wait while stopped. */
void ant_set_enabled(int enabled);

/* Descriptors queued or running (QUEUE_DEPTH). */
uint32_t ant_queue_depth(void);

/* The last non-OK status any driver function returned (ANT_OK if none since ant_init). */
ant_status ant_last_error(void);

/* Copies the accelerator's sentence for the last failed job or refused doorbell (the
 * ERROR_TEXT registers, e.g. "the activation values address is not 4-byte aligned") into
 * text, NUL-terminated and cut to size; "" when nothing failed since ant_init. Returns
 * ANT_DRV_INVALID for a NULL text or size 0, ANT_DRV_NOT_READY before ant_init. */
ANT_MUST_CHECK ant_status ant_error_text(char *text, size_t size);

/* "ok", "bad op", ..., "queue full", "timeout": a short name for any ant_status value. */
const char *ant_error_name(int code);

/* Counters of the last finished job (64-bit LO/HI pairs read consistently). */
ANT_MUST_CHECK ant_status ant_read_counters(ant_counters *counters);

/* Interrupt count seen by the driver's handler since ant_init (for tests). */
uint32_t ant_interrupt_count(void);

/* ---- Memory for descriptors and arrays ---------------------------------------------- */
typedef struct ant_arena {
    uintptr_t next, end;
} ant_arena;

ANT_MUST_CHECK ant_status ant_arena_init(ant_arena *arena, uintptr_t base, uintptr_t end);
/* `bytes` from the arena, aligned to `align` (a power of two); not cleared. */
ANT_MUST_CHECK ant_status ant_arena_alloc(ant_arena *arena, size_t bytes, size_t align, void **out);

/* ---- Descriptor helpers ------------------------------------------------------------- */
/* A dense operand: planes * rows * cols floats at `values`. */
ANT_MUST_CHECK ant_status ant_tensor_dense(ant_tensor_desc *t, uint32_t planes, uint32_t rows, uint32_t cols,
                                           float *values);
/* A CSR operand compressed from dense planes (models/algo/csr.c); arrays from `arena`. */
ANT_MUST_CHECK ant_status ant_tensor_csr_from_dense(ant_tensor_desc *t, const float *dense, uint32_t planes,
                                                    uint32_t rows, uint32_t cols, ant_arena *arena);
/* An output of planes x rows x cols in `format`, with room for `capacity` entries (CSR) or
 * every element (DENSE; capacity is then planes * rows * cols); arrays from `arena`. */
ANT_MUST_CHECK ant_status ant_tensor_output(ant_tensor_desc *t, uint32_t format, uint32_t planes, uint32_t rows,
                                            uint32_t cols, uint32_t capacity, ant_arena *arena);
/* Expands a tensor the accelerator wrote (CSR or DENSE) into planes * rows * cols floats. */
ANT_MUST_CHECK ant_status ant_tensor_to_dense(const ant_tensor_desc *t, float *dense);

/* A convolution job (op = ANT_OP_CODE_FW/BD/BW) of batch n, c input and k output channels,
 * h x w input, r x s kernel, square stride and padding; operands and output are left for
 * the caller (a, b, out). Rows and columns of the output follow
 * (h + 2 pad - r) / stride + 1. ANT_DRV_INVALID for zero sizes or a bad op. */
ANT_MUST_CHECK ant_status ant_job_conv(ant_job_desc *desc, uint32_t op, uint32_t mode, uint32_t n, uint32_t c,
                                       uint32_t k, uint32_t h, uint32_t w, uint32_t r, uint32_t s, uint32_t stride,
                                       uint32_t pad);
/* Output rows/cols of a convolution (0 when the kernel does not fit). */
uint32_t ant_conv_out(uint32_t in, uint32_t kernel, uint32_t stride, uint32_t pad);

#ifdef __cplusplus
}
#endif

#endif /* ANT_DRIVER_H */
