/* The ANT accelerator driver (see ant_driver.h). */
#include "ant_driver.h"
#include "ant_driver_internal.h"

#include <string.h>

#include "csr.h"
#include "hal.h"

#define REG(offset) (ANT_ACCEL_BASE + (offset))

static int ready;
static ant_ticket submitted;
static ant_status last_error;
static volatile uint32_t interrupts;
static volatile int timer_fired;

ant_status ant_driver_record(ant_status s)
{
    if (s != ANT_OK)
        last_error = s;
    return s;
}

static ant_status fail(ant_status s) { return ant_driver_record(s); }

/* MEIP: acknowledge whatever is pending (the outcome is read from the descriptor and the
 * registers by ant_wait, the interrupt only wakes the core). */
static void on_accelerator(hal_trap_frame_t *frame)
{
    (void)frame;
    const uint32_t pending = mmio_read32(REG(ANT_REG_IRQ_STATUS));
    mmio_write32(REG(ANT_REG_IRQ_STATUS), pending);
    interrupts++;
}

static void on_timer(hal_trap_frame_t *frame)
{
    (void)frame;
    hal_timer_disarm();
    timer_fired = 1;
}

ant_status ant_init(void)
{
    ready = 0;
    last_error = ANT_OK;
    if (mmio_read32(REG(ANT_REG_ID)) != ANT_ACCEL_ID_VALUE ||
        (mmio_read32(REG(ANT_REG_VERSION)) >> 16) != (ANT_ACCEL_VERSION_VALUE >> 16))
        return fail(ANT_DRV_NO_DEVICE);
    mmio_write32(REG(ANT_REG_CTRL), ANT_CTRL_RESET);
    mmio_write32(REG(ANT_REG_IRQ_ENABLE), ANT_IRQ_DONE | ANT_IRQ_ERROR);
    if (hal_set_interrupt_handler(HAL_IRQ_EXTERNAL, on_accelerator) != HAL_OK ||
        hal_irq_enable(HAL_IRQ_EXTERNAL) != HAL_OK)
        return fail(ANT_DRV_INVALID);
    mmio_write32(REG(ANT_REG_CTRL), ANT_CTRL_ENABLE);
    submitted = 0;
    interrupts = 0;
    ready = 1;
    hal_interrupts_on();
    return ANT_OK;
}

ant_status ant_submit_address(uint32_t desc_address, ant_ticket *ticket)
{
    if (!ready)
        return fail(ANT_DRV_NOT_READY);
    if (!ticket)
        return fail(ANT_DRV_INVALID);
    mmio_write32(REG(ANT_REG_DESC_ADDR), desc_address);
    mmio_write32(REG(ANT_REG_DOORBELL), 1u);
    /* DOORBELL reads back the outcome of the last ring: queued, or refused. */
    const uint32_t result = mmio_read32(REG(ANT_REG_DOORBELL));
    if (result != ANT_ERR_NONE)
        return fail((ant_status)result);
    *ticket = ++submitted;
    return ANT_OK;
}

ant_status ant_submit(ant_job_desc *desc, ant_ticket *ticket)
{
    if (!ready)
        return fail(ANT_DRV_NOT_READY);
    if (!desc || !ticket)
        return fail(ANT_DRV_INVALID);
    desc->status = ANT_JOB_PENDING;
    /* The descriptor must be in memory before the accelerator reads it. */
    __asm__ volatile("fence w, o" ::: "memory");
    return ant_submit_address((uint32_t)(uintptr_t)desc, ticket);
}

ant_status ant_wait(ant_ticket ticket, const ant_job_desc *desc, uint32_t timeout_us)
{
    if (!ready)
        return fail(ANT_DRV_NOT_READY);
    if (ticket == 0 || (int32_t)(ticket - submitted) > 0)
        return fail(ANT_DRV_INVALID);
    uint64_t deadline = 0;
    if (timeout_us) {
        deadline = hal_timer_now() + (uint64_t)timeout_us * (HAL_MTIME_HZ / 1000000u);
        timer_fired = 0;
        if (hal_set_interrupt_handler(HAL_IRQ_TIMER, on_timer) != HAL_OK)
            return fail(ANT_DRV_INVALID);
        hal_timer_set_compare(deadline);
        if (hal_irq_enable(HAL_IRQ_TIMER) != HAL_OK)
            return fail(ANT_DRV_INVALID);
    }
    int timed_out = 0;
    for (;;) {
        /* Check and sleep with interrupts masked: an interrupt that arrives in between stays
         * pending, so wfi returns at once and the handler runs when they are unmasked. */
        hal_interrupts_off();
        const uint32_t done = mmio_read32(REG(ANT_REG_JOBS_DONE));
        if ((int32_t)(done - ticket) >= 0)
            break;
        if (timeout_us && (timer_fired || hal_timer_now() >= deadline)) {
            timed_out = 1;
            break;
        }
        hal_wait_for_interrupt();
        hal_interrupts_on();
    }
    hal_interrupts_on();
    if (timeout_us) {
        hal_timer_disarm();
        if (hal_irq_disable(HAL_IRQ_TIMER) != HAL_OK && !timed_out)
            return fail(ANT_DRV_INVALID);
    }
    if (timed_out)
        return fail(ANT_DRV_TIMEOUT);

    uint32_t code = ANT_JOB_PENDING;
    if (desc)
        code = *(const volatile uint32_t *)&desc->status;
    if (code == ANT_JOB_PENDING) {
        /* No status word (the descriptor was unreachable): the registers tell the last job. */
        const uint32_t status = mmio_read32(REG(ANT_REG_STATUS));
        code = (status & ANT_STATUS_ERROR) ? (status >> ANT_STATUS_ERROR_SHIFT) & 0xFFu : ANT_ERR_NONE;
    }
    return fail((ant_status)code);
}

void ant_set_enabled(int enabled) { mmio_write32(REG(ANT_REG_CTRL), enabled ? ANT_CTRL_ENABLE : 0u); }

uint32_t ant_queue_depth(void) { return mmio_read32(REG(ANT_REG_QUEUE_DEPTH)); }

ant_status ant_error_text(char *text, size_t size)
{
    if (!text || size == 0)
        return fail(ANT_DRV_INVALID);
    text[0] = 0;
    if (!ready)
        return fail(ANT_DRV_NOT_READY);
    /* A 1.0 accelerator has no ERROR_TEXT: its window would fault. */
    if ((mmio_read32(REG(ANT_REG_VERSION)) & 0xFFFFu) < 1u)
        return ANT_OK;
    size_t n = 0;
    for (uint32_t offset = 0; offset < ANT_ERROR_TEXT_BYTES && n + 1 < size; offset += 4) {
        const uint32_t word = mmio_read32(REG(ANT_REG_ERROR_TEXT + offset));
        for (unsigned i = 0; i < 4 && n + 1 < size; i++) {
            const char c = (char)(word >> (8 * i));
            if (!c) {
                text[n] = 0;
                return ANT_OK;
            }
            text[n++] = c;
        }
    }
    text[n] = 0;
    return ANT_OK;
}

ant_status ant_last_error(void) { return last_error; }

uint32_t ant_interrupt_count(void) { return interrupts; }

const char *ant_error_name(int code)
{
    switch (code) {
    case ANT_OK: return "ok";
    case ANT_ERR_BAD_OP: return "bad op";
    case ANT_ERR_BAD_MODE: return "bad mode";
    case ANT_ERR_BAD_DIMS: return "bad dims";
    case ANT_ERR_ADDRESS: return "address outside DRAM";
    case ANT_ERR_MISALIGNED: return "misaligned";
    case ANT_ERR_BAD_FORMAT: return "bad format";
    case ANT_ERR_BAD_TENSOR: return "bad tensor";
    case ANT_ERR_OUT_CAPACITY: return "output capacity too small";
    case ANT_ERR_DOES_NOT_FIT: return "does not fit on chip";
    case ANT_ERR_QUEUE_FULL: return "queue full";
    case ANT_ERR_BUS: return "bus error";
    case ANT_DRV_NO_DEVICE: return "no accelerator";
    case ANT_DRV_INVALID: return "invalid argument";
    case ANT_DRV_TIMEOUT: return "timeout";
    case ANT_DRV_NO_MEMORY: return "out of memory";
    case ANT_DRV_NOT_READY: return "driver not initialised";
    }
    return "unknown error";
}

static uint64_t read64(uint32_t lo_offset)
{
    const uint32_t lo = mmio_read32(REG(lo_offset)); /* latches HI */
    const uint32_t hi = mmio_read32(REG(lo_offset + 4u));
    return ((uint64_t)hi << 32) | lo;
}

ant_status ant_read_counters(ant_counters *c)
{
    if (!ready)
        return fail(ANT_DRV_NOT_READY);
    if (!c)
        return fail(ANT_DRV_INVALID);
    c->cycles = read64(ANT_REG_CYCLES_LO);
    c->vector_pairs = read64(ANT_REG_VECTOR_PAIRS_LO);
    c->products_valid = read64(ANT_REG_PRODUCTS_VALID_LO);
    c->products_rcp = read64(ANT_REG_PRODUCTS_RCP_LO);
    c->dram_read_bytes = read64(ANT_REG_DRAM_READ_LO);
    c->dram_write_bytes = read64(ANT_REG_DRAM_WRITE_LO);
    return ANT_OK;
}

/* ---- Arenas ---------------------------------------------------------------------------- */

ant_status ant_arena_init(ant_arena *arena, uintptr_t base, uintptr_t end)
{
    if (!arena || end < base)
        return fail(ANT_DRV_INVALID);
    arena->next = base;
    arena->end = end;
    return ANT_OK;
}

ant_status ant_arena_alloc(ant_arena *arena, size_t bytes, size_t align, void **out)
{
    if (!arena || !out || align == 0 || (align & (align - 1)) != 0)
        return fail(ANT_DRV_INVALID);
    const uintptr_t start = (arena->next + align - 1) & ~(uintptr_t)(align - 1);
    if (start < arena->next || start > arena->end || bytes > arena->end - start)
        return fail(ANT_DRV_NO_MEMORY);
    arena->next = start + bytes;
    *out = (void *)start;
    return ANT_OK;
}

/* ---- Descriptor helpers ---------------------------------------------------------------- */

ant_status ant_tensor_dense(ant_tensor_desc *t, uint32_t planes, uint32_t rows, uint32_t cols, float *values)
{
    if (!t || !values || !planes || !rows || !cols)
        return fail(ANT_DRV_INVALID);
    memset(t, 0, sizeof *t);
    t->format = ANT_FORMAT_DENSE;
    t->planes = planes;
    t->rows = rows;
    t->cols = cols;
    t->values = (uint32_t)(uintptr_t)values;
    t->capacity = planes * rows * cols;
    return ANT_OK;
}

/* Every tensor array starts on a 64-byte boundary, the DMA engine's default burst
 * (dma.burst_bytes): the bursts a job reads depend on where its arrays start. The host-side
 * runner (`ant-vp layer`) places its arrays the same way, so a firmware job and the runner's
 * job on the same tensors move the same bytes. */
#define ANT_ARRAY_ALIGN 64u

static ant_status alloc_csr_arrays(ant_tensor_desc *t, uint32_t planes, uint32_t rows, uint32_t entries,
                                   ant_arena *arena)
{
    void *offsets, *row_ptr, *col_idx, *values;
    const size_t room = entries ? entries : 1u; /* every array gets a real address */
    ant_status s;
    if ((s = ant_arena_alloc(arena, ((size_t)planes + 1u) * 4u, ANT_ARRAY_ALIGN, &offsets)) != ANT_OK ||
        (s = ant_arena_alloc(arena, (size_t)planes * (rows + 1u) * 4u, ANT_ARRAY_ALIGN, &row_ptr)) != ANT_OK ||
        (s = ant_arena_alloc(arena, room * 2u, ANT_ARRAY_ALIGN, &col_idx)) != ANT_OK ||
        (s = ant_arena_alloc(arena, room * 4u, ANT_ARRAY_ALIGN, &values)) != ANT_OK)
        return s;
    t->offsets = (uint32_t)(uintptr_t)offsets;
    t->row_ptr = (uint32_t)(uintptr_t)row_ptr;
    t->col_idx = (uint32_t)(uintptr_t)col_idx;
    t->values = (uint32_t)(uintptr_t)values;
    t->capacity = entries;
    return ANT_OK;
}

ant_status ant_tensor_csr_from_dense(ant_tensor_desc *t, const float *dense, uint32_t planes, uint32_t rows,
                                     uint32_t cols, ant_arena *arena)
{
    if (!t || !dense || !arena || !planes || !rows || !cols || cols > CSR_MAX_COLS)
        return fail(ANT_DRV_INVALID);
    const size_t plane_elems = (size_t)rows * cols;
    uint32_t nnz = 0;
    for (uint32_t p = 0; p < planes; p++)
        nnz += csr_count_nonzeros(dense + p * plane_elems, rows, cols);
    memset(t, 0, sizeof *t);
    t->format = ANT_FORMAT_CSR;
    t->planes = planes;
    t->rows = rows;
    t->cols = cols;
    ant_status s = alloc_csr_arrays(t, planes, rows, nnz, arena);
    if (s != ANT_OK)
        return s;
    uint32_t *offsets = (uint32_t *)(uintptr_t)t->offsets;
    uint32_t *row_ptr = (uint32_t *)(uintptr_t)t->row_ptr;
    uint16_t *col_idx = (uint16_t *)(uintptr_t)t->col_idx;
    float *values = (float *)(uintptr_t)t->values;
    offsets[0] = 0;
    for (uint32_t p = 0; p < planes; p++) {
        csr_plane plane = {rows, cols, nnz - offsets[p], row_ptr + (size_t)p * (rows + 1u), col_idx + offsets[p],
                           values + offsets[p]};
        if (csr_from_dense(&plane, dense + p * plane_elems) != CSR_OK)
            return fail(ANT_DRV_NO_MEMORY);
        offsets[p + 1] = offsets[p] + csr_nnz(&plane);
    }
    return ANT_OK;
}

ant_status ant_tensor_output(ant_tensor_desc *t, uint32_t format, uint32_t planes, uint32_t rows, uint32_t cols,
                             uint32_t capacity, ant_arena *arena)
{
    if (!t || !arena || !planes || !rows || !cols || (format != ANT_FORMAT_CSR && format != ANT_FORMAT_DENSE))
        return fail(ANT_DRV_INVALID);
    memset(t, 0, sizeof *t);
    t->format = format;
    t->planes = planes;
    t->rows = rows;
    t->cols = cols;
    if (format == ANT_FORMAT_CSR)
        return alloc_csr_arrays(t, planes, rows, capacity, arena);
    void *values;
    const size_t elems = (size_t)planes * rows * cols;
    const ant_status s = ant_arena_alloc(arena, elems * 4u, ANT_ARRAY_ALIGN, &values);
    if (s != ANT_OK)
        return s;
    t->values = (uint32_t)(uintptr_t)values;
    t->capacity = (uint32_t)elems;
    return ANT_OK;
}

ant_status ant_tensor_to_dense(const ant_tensor_desc *t, float *dense)
{
    if (!t || !dense || !t->planes || !t->rows || !t->cols)
        return fail(ANT_DRV_INVALID);
    const size_t plane_elems = (size_t)t->rows * t->cols;
    const float *values = (const float *)(uintptr_t)t->values;
    if (t->format == ANT_FORMAT_DENSE) {
        memcpy(dense, values, plane_elems * t->planes * 4u);
        return ANT_OK;
    }
    if (t->format != ANT_FORMAT_CSR)
        return fail((ant_status)ANT_ERR_BAD_FORMAT);
    const uint32_t *offsets = (const uint32_t *)(uintptr_t)t->offsets;
    uint32_t *row_ptr = (uint32_t *)(uintptr_t)t->row_ptr;
    uint16_t *col_idx = (uint16_t *)(uintptr_t)t->col_idx;
    if (offsets[t->planes] > t->capacity)
        return fail((ant_status)ANT_ERR_BAD_TENSOR);
    for (uint32_t p = 0; p < t->planes; p++) {
        if (offsets[p] > offsets[p + 1])
            return fail((ant_status)ANT_ERR_BAD_TENSOR);
        csr_plane plane = {t->rows, t->cols, offsets[p + 1] - offsets[p], row_ptr + (size_t)p * (t->rows + 1u),
                           col_idx + offsets[p], (float *)(uintptr_t)(t->values) + offsets[p]};
        if (csr_validate(&plane, NULL, 0) != CSR_OK)
            return fail((ant_status)ANT_ERR_BAD_TENSOR);
        csr_to_dense(&plane, dense + p * plane_elems);
    }
    return ANT_OK;
}

uint32_t ant_conv_out(uint32_t in, uint32_t kernel, uint32_t stride, uint32_t pad)
{
    if (stride == 0 || in + 2u * pad < kernel)
        return 0;
    return (in + 2u * pad - kernel) / stride + 1u;
}

ant_status ant_job_conv(ant_job_desc *d, uint32_t op, uint32_t mode, uint32_t n, uint32_t c, uint32_t k, uint32_t h,
                        uint32_t w, uint32_t r, uint32_t s, uint32_t stride, uint32_t pad)
{
    if (!d || op > ANT_OP_CODE_BW || mode > ANT_MODE_CODE_IDEAL || !n || !c || !k || !h || !w || !r || !s ||
        !stride || !ant_conv_out(h, r, stride, pad) || !ant_conv_out(w, s, stride, pad))
        return fail(ANT_DRV_INVALID);
    memset(d, 0, sizeof *d);
    d->op = op;
    d->mode = mode;
    d->mapping = ANT_MAPPING_CODE_PLANAR;
    d->n = n;
    d->c = c;
    d->k = k;
    d->h = h;
    d->w = w;
    d->r = r;
    d->s = s;
    d->stride_h = d->stride_w = stride;
    d->pad_h = d->pad_w = pad;
    return ANT_OK;
}
