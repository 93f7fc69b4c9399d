/* accel_errors: the accelerator's registers and error handling, from the firmware's side.
 *
 *  registers  ID/VERSION values, an offset with no register, a byte access and a write to a
 *             read-only register each fault (access-fault trap), IRQ_STATUS is write-1-to-clear
 *             and the line follows IRQ_STATUS & IRQ_ENABLE;
 *  errors     descriptors with an unknown op, a bad mode, zero and absurd dims, a descriptor
 *             and an array outside DRAM, a misaligned descriptor and array, a too-small output
 *             capacity, and a doorbell into a full queue, each answered with its error code;
 *  recovery   afterwards a good job runs and its output equals a reference computed here.
 *
 * Prints one line per check; exits 0 when all pass, otherwise the number of the first
 * failed check. */
#include <stdio.h>
#include <string.h>

#include "ant_driver.h"
#include "hal.h"

#define REG(offset) (ANT_ACCEL_BASE + (offset))

/* Job shapes: x 1x2x6x6, w 3x2x3x3, stride 1, padding 1 -> y 1x3x6x6. */
#define N 1
#define C 2
#define K 3
#define H 6
#define W 6
#define R 3
#define S 3

static float x[N * C * H * W], w[K * C * R * S], y[N * K * H * W], y_ref[N * K * H * W];
static unsigned char scratch[96 * 1024] __attribute__((aligned(64)));
static ant_job_desc descs[ANT_ACCEL_QUEUE_CAPACITY + 4] __attribute__((aligned(64)));
static ant_arena arena;
static ant_tensor_desc xt, wt;

static int failed;
static int number;

static void check(const char *what, int ok)
{
    number++;
    printf("check %2d %s: %s\n", number, what, ok ? "ok" : "FAILED");
    if (!ok && !failed)
        failed = number;
}

static void check_code(const char *what, ant_status expected, ant_status got)
{
    number++;
    printf("check %2d %s: %s", number, what, ant_error_name(got));
    if (got != ANT_OK && (int)got <= (int)ANT_ERR_BUS) { /* the accelerator's own sentence for it */
        char why[ANT_ERROR_TEXT_BYTES];
        if (ant_error_text(why, sizeof why) == ANT_OK)
            printf(" (%s)", why);
    }
    if (got == expected) {
        printf(": ok\n");
        return;
    }
    printf(": FAILED, expected %s\n", ant_error_name(expected));
    if (!failed)
        failed = number;
}

/* ---- Faulting register accesses --------------------------------------------------------- */
static volatile uint32_t faults, fault_cause, fault_address;

static void on_fault(hal_trap_frame_t *f)
{
    faults++;
    fault_cause = f->mcause;
    fault_address = f->mtval;
    f->mepc += 4u; /* the accesses below are never compressed */
}

static uint32_t load_word(uint32_t address)
{
    uint32_t v = 0xdeadbeefu;
    __asm__ volatile(".option push\n.option norvc\nlw %0, 0(%1)\n.option pop" : "+r"(v) : "r"(address) : "memory");
    return v;
}

static void load_byte(uint32_t address)
{
    uint32_t v = 0;
    __asm__ volatile(".option push\n.option norvc\nlbu %0, 0(%1)\n.option pop" : "+r"(v) : "r"(address) : "memory");
}

static void store_word(uint32_t address, uint32_t v)
{
    __asm__ volatile(".option push\n.option norvc\nsw %0, 0(%1)\n.option pop" : : "r"(v), "r"(address) : "memory");
}

static int faulted_with(uint32_t before, uint32_t cause, uint32_t address)
{
    return faults == before + 1 && fault_cause == cause && fault_address == address;
}

static void test_registers(void)
{
    check("ID reads 'ANT1'", mmio_read32(REG(ANT_REG_ID)) == ANT_ACCEL_ID_VALUE);
    check("VERSION reads 1.1", mmio_read32(REG(ANT_REG_VERSION)) == ANT_ACCEL_VERSION_VALUE);
    hal_set_exception_handler(on_fault);
    uint32_t before = faults;
    (void)load_word(REG(0x800));
    check("a load from an offset with no register faults", faulted_with(before, 5, REG(0x800)));
    before = faults;
    load_byte(REG(ANT_REG_ID));
    check("a byte load from a register faults", faulted_with(before, 5, REG(ANT_REG_ID)));
    before = faults;
    store_word(REG(ANT_REG_ID), 1);
    check("a store to the read-only ID faults", faulted_with(before, 7, REG(ANT_REG_ID)));
    before = faults;
    store_word(REG(0xFFFC), 1);
    check("a store to the end of the window faults", faulted_with(before, 7, REG(0xFFFC)));
    hal_set_exception_handler(NULL);
    check("ID still reads 'ANT1' after the faults", mmio_read32(REG(ANT_REG_ID)) == ANT_ACCEL_ID_VALUE);
}

/* ---- Descriptors -------------------------------------------------------------------------- */
static void fill_inputs(void)
{
    for (int i = 0; i < N * C * H * W; i++)
        x[i] = (i % 3 == 0) ? 0.0f : (float)((i * 7) % 5) - 2.0f; /* small integers: exact sums */
    for (int i = 0; i < K * C * R * S; i++)
        w[i] = (i % 4 == 1) ? 0.0f : (float)((i * 5) % 7) - 3.0f;
    /* The dense reference: plain loops, stride 1, padding 1. */
    for (int k = 0; k < K; k++)
        for (int oh = 0; oh < H; oh++)
            for (int ow = 0; ow < W; ow++) {
                float acc = 0.0f;
                for (int c = 0; c < C; c++)
                    for (int r = 0; r < R; r++)
                        for (int s = 0; s < S; s++) {
                            const int ih = oh + r - 1, iw = ow + s - 1;
                            if (ih >= 0 && ih < H && iw >= 0 && iw < W)
                                acc += x[(c * H + ih) * W + iw] * w[((k * C + c) * R + r) * S + s];
                        }
                y_ref[(k * H + oh) * W + ow] = acc;
            }
}

/* A good FW job in descs[i] with a fresh CSR output of full capacity. */
static int good_job(int i)
{
    ant_job_desc *d = &descs[i];
    if (ant_job_conv(d, ANT_OP_CODE_FW, ANT_MODE_CODE_ANT, N, C, K, H, W, R, S, 1, 1) != ANT_OK ||
        ant_tensor_output(&d->out, ANT_FORMAT_CSR, N * K, H, W, N * K * H * W, &arena) != ANT_OK)
        return 0;
    d->a = xt;
    d->b = wt;
    return 1;
}

static ant_status run(ant_job_desc *d)
{
    ant_ticket t;
    ant_status s = ant_submit(d, &t);
    return s == ANT_OK ? ant_wait(t, d, 0) : s;
}

static ant_status run_address(uint32_t address)
{
    ant_ticket t;
    ant_status s = ant_submit_address(address, &t);
    return s == ANT_OK ? ant_wait(t, NULL, 0) : s;
}

static int output_matches(const ant_job_desc *d)
{
    memset(y, 0, sizeof y);
    if (ant_tensor_to_dense(&d->out, y) != ANT_OK)
        return 0;
    for (int i = 0; i < N * K * H * W; i++)
        if (y[i] != y_ref[i])
            return 0;
    return 1;
}

static void test_bad_descriptors(void)
{
    ant_job_desc *d = &descs[0];
    if (!good_job(0))
        return check("build a descriptor", 0);
    d->op = 7;
    check_code("unknown op 7", (ant_status)ANT_ERR_BAD_OP, run(d));
    check("ERROR_DESC names the failed descriptor", mmio_read32(REG(ANT_REG_ERROR_DESC)) == (uint32_t)(uintptr_t)d);

    (void)good_job(0);
    d->mode = 9;
    check_code("mode 9", (ant_status)ANT_ERR_BAD_MODE, run(d));

    (void)good_job(0);
    d->h = 0;
    check_code("zero input height", (ant_status)ANT_ERR_BAD_DIMS, run(d));

    (void)good_job(0);
    d->k = 0x40000000u;
    check_code("absurd output channels (2^30)", (ant_status)ANT_ERR_BAD_DIMS, run(d));

    (void)good_job(0);
    d->stride_h = 0;
    check_code("stride 0", (ant_status)ANT_ERR_BAD_DIMS, run(d));

    check_code("descriptor outside DRAM (0x00001000)", (ant_status)ANT_ERR_ADDRESS, run_address(0x00001000u));

    (void)good_job(0);
    d->b.values = 0x20000000u;
    check_code("weight values outside DRAM", (ant_status)ANT_ERR_ADDRESS, run(d));

    (void)good_job(0);
    d->out.values = 0xFFFFFF00u;
    check_code("output values beyond the end of DRAM", (ant_status)ANT_ERR_ADDRESS, run(d));

    (void)good_job(0);
    check_code("misaligned descriptor address", (ant_status)ANT_ERR_MISALIGNED,
               run_address((uint32_t)(uintptr_t)d + 2u));

    (void)good_job(0);
    d->a.values += 2u;
    check_code("misaligned activation values", (ant_status)ANT_ERR_MISALIGNED, run(d));

    (void)good_job(0);
    d->out.capacity = 1;
    check_code("output capacity of 1 entry", (ant_status)ANT_ERR_OUT_CAPACITY, run(d));

    (void)good_job(0);
    d->a.format = 5;
    check_code("unknown tensor format 5", (ant_status)ANT_ERR_BAD_FORMAT, run(d));
}

static void test_queue_full_and_irq(void)
{
    /* Stop the intake so the queue fills deterministically. */
    ant_set_enabled(0);
    ant_ticket tickets[ANT_ACCEL_QUEUE_CAPACITY];
    int queued = 1;
    for (unsigned i = 0; i < ANT_ACCEL_QUEUE_CAPACITY; i++)
        queued &= good_job((int)i) && ant_submit(&descs[i], &tickets[i]) == ANT_OK;
    check("8 descriptors queue while the accelerator is stopped",
          queued && ant_queue_depth() == ANT_ACCEL_QUEUE_CAPACITY);

    /* The refused doorbell raises the error interrupt: watch it with the line masked. */
    mmio_write32(REG(ANT_REG_IRQ_ENABLE), 0);
    ant_ticket extra;
    (void)good_job(ANT_ACCEL_QUEUE_CAPACITY);
    check_code("doorbell into a full queue", (ant_status)ANT_ERR_QUEUE_FULL,
               ant_submit(&descs[ANT_ACCEL_QUEUE_CAPACITY], &extra));
    const uint32_t status = mmio_read32(REG(ANT_REG_STATUS));
    check("STATUS shows error 'queue full'",
          (status & ANT_STATUS_ERROR) && ((status >> ANT_STATUS_ERROR_SHIFT) & 0xFFu) == ANT_ERR_QUEUE_FULL);
    check("nothing was queued", ant_queue_depth() == ANT_ACCEL_QUEUE_CAPACITY);
    uint32_t mip;
    __asm__ volatile("csrr %0, mip" : "=r"(mip));
    check("IRQ_STATUS has ERROR pending, line low while masked",
          mmio_read32(REG(ANT_REG_IRQ_STATUS)) == ANT_IRQ_ERROR && (mip & (1u << HAL_IRQ_EXTERNAL)) == 0);
    mmio_write32(REG(ANT_REG_IRQ_STATUS), ANT_IRQ_DONE);
    check("writing 1 to another bit leaves ERROR pending", mmio_read32(REG(ANT_REG_IRQ_STATUS)) == ANT_IRQ_ERROR);
    mmio_write32(REG(ANT_REG_IRQ_STATUS), ANT_IRQ_ERROR);
    check("writing 1 to ERROR acknowledges it", mmio_read32(REG(ANT_REG_IRQ_STATUS)) == 0);
    mmio_write32(REG(ANT_REG_IRQ_ENABLE), ANT_IRQ_DONE | ANT_IRQ_ERROR);

    /* Restart: the queued jobs run in order and all succeed. */
    const uint32_t irqs = ant_interrupt_count();
    ant_set_enabled(1);
    int ok = 1;
    for (unsigned i = 0; i < ANT_ACCEL_QUEUE_CAPACITY; i++)
        ok &= ant_wait(tickets[i], &descs[i], 0) == ANT_OK && output_matches(&descs[i]);
    check("the 8 queued jobs run after the restart, outputs correct", ok);
    check("interrupts woke the core", ant_interrupt_count() > irqs);
    check("queue empty afterwards", ant_queue_depth() == 0);
}

int main(void)
{
    hal_uart_init();
    printf("accel_errors: accelerator registers and error codes\n");
    const ant_status s = ant_init();
    check_code("ant_init", ANT_OK, s);
    if (s != ANT_OK)
        return 1;
    test_registers();
    fill_inputs();
    if (ant_arena_init(&arena, (uintptr_t)scratch, (uintptr_t)scratch + sizeof scratch) != ANT_OK ||
        ant_tensor_csr_from_dense(&xt, x, N * C, H, W, &arena) != ANT_OK ||
        ant_tensor_csr_from_dense(&wt, w, K * C, R, S, &arena) != ANT_OK) {
        check("prepare the operands", 0);
        return failed;
    }
    ant_arena jobs = arena; /* every phase reuses the same output memory */

    if (good_job(0))
        check_code("a good job before the errors", ANT_OK, run(&descs[0]));
    check("its output equals the dense reference", output_matches(&descs[0]));
    arena = jobs;
    test_bad_descriptors();
    arena = jobs;
    test_queue_full_and_irq();
    arena = jobs;
    int ok = good_job(0);
    check_code("a good job after the errors", ANT_OK, ok ? run(&descs[0]) : ANT_DRV_INVALID);
    check("its output equals the dense reference", output_matches(&descs[0]));
    ant_counters c;
    check("counters: cycles and valid products are non-zero",
          ant_read_counters(&c) == ANT_OK && c.cycles > 0 && c.products_valid > 0);
    printf(failed ? "accel_errors: FAILED at check %d\n" : "accel_errors: all checks passed\n", failed);
    return failed;
}
