/* conv_relu_conv: the worked example of docs/firmware-guide.md.
 *
 * Two convolution layers chained on the accelerator in mode ANT: conv1 (ReLU in the
 * post-processing unit, CSR output) feeds conv2 directly, the accelerator reading the CSR
 * arrays it wrote without the core touching them; conv2 writes a dense output. The core
 * then computes the same two layers itself (a dense reference) and compares every value.
 * conv1 then runs twice more with a dense output, once with its activation as a CSR operand
 * and once as a DENSE one, to show what the operand format costs (the same output; the
 * counters are printed side by side).
 *
 * Inputs are multiples of 1/4 in [-1, 1], about half of them zero, so every sum is exact in
 * float32 and the comparison is exact whatever order the accelerator adds in.
 * Exit 0 when the outputs match; 1 mismatch, 2 a driver or job error (printed). */
#include <stdio.h>
#include <string.h>

#include "ant_driver.h"
#include "ant_layer_jobs.h"
#include "hal.h"

/* conv1: 1x2x10x10 * 4x2x3x3, padding 1 -> 1x4x10x10; conv2: * 3x4x3x3 -> 1x3x10x10. */
static const ant_conv_layer conv1 = {1, 2, 4, 10, 10, 3, 3, 1, 1};
static const ant_conv_layer conv2 = {1, 4, 3, 10, 10, 3, 3, 1, 1};
#define X_COUNT (1 * 2 * 10 * 10)
#define W1_COUNT (4 * 2 * 3 * 3)
#define W2_COUNT (3 * 4 * 3 * 3)
#define Y1_COUNT (1 * 4 * 10 * 10)
#define Y2_COUNT (1 * 3 * 10 * 10)

static float x[X_COUNT], w1[W1_COUNT], w2[W2_COUNT];
static float y1_ref[Y1_COUNT], y2_ref[Y2_COUNT], y1[Y1_COUNT];
/* Descriptors, CSR arrays and outputs: 64 KiB of DRAM the program owns. */
static unsigned char scratch[64 * 1024] __attribute__((aligned(64)));

/* Deterministic inputs: a linear congruential generator, values in {-1, -3/4, ..., 1},
 * zero about half of the time. */
static uint32_t seed = 12345u;
static float next_value(void)
{
    seed = seed * 1664525u + 1013904223u;
    const int v = (int)((seed >> 24) % 18u) - 8; /* -8 .. 9 */
    return v < -4 || v > 4 ? 0.0f : (float)v * 0.25f;
}

/* out[k][i][j] = sum over c, r, s of in[c][i + r - pad][j + s - pad] * w[k][c][r][s]. */
static void conv_reference(const ant_conv_layer *l, const float *in, const float *w, float *out, int relu)
{
    const int ho = (int)ant_layer_out_h(l), wo = (int)ant_layer_out_w(l);
    for (int k = 0; k < (int)l->k; k++)
        for (int i = 0; i < ho; i++)
            for (int j = 0; j < wo; j++) {
                float sum = 0.0f;
                for (int c = 0; c < (int)l->c; c++)
                    for (int r = 0; r < (int)l->r; r++)
                        for (int s = 0; s < (int)l->s; s++) {
                            const int y = i * (int)l->stride + r - (int)l->pad;
                            const int x_ = j * (int)l->stride + s - (int)l->pad;
                            if (y < 0 || y >= (int)l->h || x_ < 0 || x_ >= (int)l->w)
                                continue;
                            sum += in[(c * (int)l->h + y) * (int)l->w + x_] *
                                   w[((k * (int)l->c + c) * (int)l->r + r) * (int)l->s + s];
                        }
                out[(k * ho + i) * wo + j] = relu && sum < 0.0f ? 0.0f : sum;
            }
}

static uint32_t instructions(void)
{
    uint32_t n;
    __asm__ volatile("csrr %0, minstret" : "=r"(n));
    return n;
}

/* Submits, sleeps until the job's interrupt, prints its outcome and counters. */
static int run(const char *name, ant_job_desc *d)
{
    const ant_status s = ant_run_job(d);
    ant_counters c;
    if (s != ANT_OK) {
        char why[ANT_ERROR_TEXT_BYTES];
        if (ant_error_text(why, sizeof why) != ANT_OK)
            why[0] = 0;
        printf("%s: %s (%s)\n", name, ant_error_name(s), why);
        return 0;
    }
    if (ant_read_counters(&c) != ANT_OK)
        return 0;
    printf("%s: ok; %lu cycles, %lu valid products, %lu RCPs, DRAM %lu B read, %lu B written\n", name,
           (unsigned long)c.cycles, (unsigned long)c.products_valid, (unsigned long)c.products_rcp,
           (unsigned long)c.dram_read_bytes, (unsigned long)c.dram_write_bytes);
    return 1;
}

static int count_mismatches(const char *what, const float *got, const float *want, int count)
{
    int bad = 0;
    for (int i = 0; i < count; i++)
        if (got[i] != want[i]) {
            if (!bad)
                printf("%s: first mismatch at %d: %d/256 != %d/256\n", what, i, (int)(got[i] * 256.0f),
                       (int)(want[i] * 256.0f));
            bad++;
        }
    return bad;
}

int main(void)
{
    hal_uart_init();
    for (int i = 0; i < X_COUNT; i++)
        x[i] = next_value();
    for (int i = 0; i < W1_COUNT; i++)
        w1[i] = next_value();
    for (int i = 0; i < W2_COUNT; i++)
        w2[i] = next_value();

    ant_arena arena;
    ant_tensor_desc xt, xt_dense, w1t, w2t;
    ant_job_desc *fw1, *fw2, *fw1_csr, *fw1_dense;
    if (ant_init() != ANT_OK || ant_arena_init(&arena, (uintptr_t)scratch, (uintptr_t)scratch + sizeof scratch) ||
        ant_arena_alloc(&arena, 4 * sizeof(ant_job_desc), 64, (void **)&fw1)) {
        printf("conv_relu_conv: set-up failed: %s\n", ant_error_name(ant_last_error()));
        return 2;
    }
    /* Operands: CSR compressed by the core (models/algo/csr.c), or dense as they are. */
    const uint32_t before = instructions();
    const ant_status compressed = ant_tensor_csr_from_dense(&xt, x, 1 * 2, 10, 10, &arena);
    printf("compressing x (%d values) to CSR: %lu instructions\n", X_COUNT, (unsigned long)(instructions() - before));
    if (compressed || ant_tensor_dense(&xt_dense, 1 * 2, 10, 10, x) ||
        ant_tensor_csr_from_dense(&w1t, w1, 4 * 2, 3, 3, &arena) ||
        ant_tensor_csr_from_dense(&w2t, w2, 3 * 4, 3, 3, &arena)) {
        printf("conv_relu_conv: set-up failed: %s\n", ant_error_name(ant_last_error()));
        return 2;
    }
    fw2 = fw1 + 1;
    fw1_csr = fw1 + 2;
    fw1_dense = fw1 + 3;
    /* conv1 with ReLU into a CSR output; conv2 takes that output (fw1->out) as its input. */
    if (ant_layer_fw(fw1, &conv1, ANT_MODE_CODE_ANT, &xt, &w1t, ANT_JOB_FLAG_RELU, 0, ANT_FORMAT_CSR, &arena) ||
        ant_layer_fw(fw2, &conv2, ANT_MODE_CODE_ANT, &fw1->out, &w2t, 0, 0, ANT_FORMAT_DENSE, &arena) ||
        ant_layer_fw(fw1_csr, &conv1, ANT_MODE_CODE_ANT, &xt, &w1t, ANT_JOB_FLAG_RELU, 0, ANT_FORMAT_DENSE, &arena) ||
        ant_layer_fw(fw1_dense, &conv1, ANT_MODE_CODE_ANT, &xt_dense, &w1t, ANT_JOB_FLAG_RELU, 0, ANT_FORMAT_DENSE,
                     &arena)) {
        printf("conv_relu_conv: building the jobs failed: %s\n", ant_error_name(ant_last_error()));
        return 2;
    }
    if (!run("conv1 (CSR activation, ReLU, CSR out)  ", fw1) || !run("conv2 (chained CSR input, dense out)  ", fw2) ||
        !run("conv1 (CSR activation, ReLU, dense out)", fw1_csr) ||
        !run("conv1 (dense activation, ReLU, dense out)", fw1_dense))
        return 2;

    conv_reference(&conv1, x, w1, y1_ref, 1);
    conv_reference(&conv2, y1_ref, w2, y2_ref, 0);
    if (ant_tensor_to_dense(&fw1->out, y1) != ANT_OK) /* expand the CSR output */
        return 2;
    const float *y2 = (const float *)(uintptr_t)fw2->out.values; /* dense outputs are plain arrays */
    const float *y1_csr = (const float *)(uintptr_t)fw1_csr->out.values;
    const float *y1_dense = (const float *)(uintptr_t)fw1_dense->out.values;
    const int bad = count_mismatches("conv1", y1, y1_ref, Y1_COUNT) + count_mismatches("conv2", y2, y2_ref, Y2_COUNT) +
                    count_mismatches("conv1, CSR operand", y1_csr, y1_ref, Y1_COUNT) +
                    count_mismatches("conv1, dense operand", y1_dense, y1_ref, Y1_COUNT);
    int nonzero = 0;
    for (int i = 0; i < Y1_COUNT; i++)
        nonzero += y1_ref[i] != 0.0f;
    printf("conv1 output: %d of %d values non-zero after ReLU (the CSR input of conv2)\n", nonzero, Y1_COUNT);
    if (bad) {
        printf("conv_relu_conv: %d values differ from the dense reference\n", bad);
        return 1;
    }
    printf("conv_relu_conv: all %d outputs equal the dense reference\n", 3 * Y1_COUNT + Y2_COUNT);
    return 0;
}
