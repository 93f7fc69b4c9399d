/* The layer-job builders (sw/driver/ant_layer_jobs.h) with their flags: an SPMM with
 * ANT_JOB_FLAG_RELU as an argument equals relu(A B) computed here, the same job without the
 * flag keeps the negative values, and the builders refuse flags they do not support and
 * shapes that disagree. Inputs are multiples of 1/4, so every sum is exact. Prints one line
 * per check; exits 0 when all pass, otherwise the number of the first failed check. */
#include <stdio.h>

#include "ant_layer_jobs.h"
#include "check.h"
#include "hal.h"

#define M 5
#define KD 6
#define NC 4

static float a[M * KD], b[KD * NC], ref[M * NC], got[M * NC];
static unsigned char scratch[32 * 1024] __attribute__((aligned(64)));
/* out = a b, with negatives cleared when relu; returns how many values are negative before. */
static int reference(int relu)
{
    int negative = 0;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < NC; j++) {
            float sum = 0.0f;
            for (int k = 0; k < KD; k++)
                sum += a[i * KD + k] * b[k * NC + j];
            negative += sum < 0.0f;
            ref[i * NC + j] = relu && sum < 0.0f ? 0.0f : sum;
        }
    return negative;
}

static int equal(const ant_tensor_desc *out)
{
    if (ant_tensor_to_dense(out, got) != ANT_OK)
        return 0;
    for (int i = 0; i < M * NC; i++)
        if (got[i] != ref[i])
            return 0;
    return 1;
}

int main(void)
{
    hal_uart_init();
    for (int i = 0; i < M * KD; i++)
        a[i] = (float)((i * 7) % 9 - 4) * 0.25f; /* -1 .. 1, some zeros */
    for (int i = 0; i < KD * NC; i++)
        b[i] = (float)((i * 5) % 7 - 3) * 0.25f;
    ant_arena arena;
    ant_tensor_desc at, bt;
    ant_job_desc *d;
    if (ant_init() != ANT_OK || ant_arena_init(&arena, (uintptr_t)scratch, (uintptr_t)scratch + sizeof scratch) ||
        ant_arena_alloc(&arena, 2 * sizeof *d, 64, (void **)&d) ||
        ant_tensor_csr_from_dense(&at, a, 1, M, KD, &arena) || ant_tensor_csr_from_dense(&bt, b, 1, KD, NC, &arena)) {
        printf("layer_builders: set-up failed: %s\n", ant_error_name(ant_last_error()));
        return 99;
    }
    check("SPMM with ReLU builds", ant_layer_spmm(&d[0], ANT_MODE_CODE_ANT, &at, &bt, ANT_JOB_FLAG_RELU,
                                                  ANT_FORMAT_CSR, &arena) == ANT_OK &&
                                       d[0].flags == ANT_JOB_FLAG_RELU);
    check("SPMM with ReLU runs", ant_run_job(&d[0]) == ANT_OK);
    check("the product has negative values to clear", reference(1) > 0);
    check("SPMM with ReLU equals relu(A B)", equal(&d[0].out));
    check("SPMM without flags builds", ant_layer_spmm(&d[1], ANT_MODE_CODE_ANT, &at, &bt, 0, ANT_FORMAT_DENSE,
                                                      &arena) == ANT_OK && d[1].flags == 0);
    check("SPMM without flags runs", ant_run_job(&d[1]) == ANT_OK);
    reference(0);
    check("SPMM without flags equals A B", equal(&d[1].out));
    ant_job_desc scratch_desc;
    check("SPMM refuses top-K", ant_layer_spmm(&scratch_desc, ANT_MODE_CODE_ANT, &at, &bt, ANT_JOB_FLAG_TOPK,
                                               ANT_FORMAT_CSR, &arena) == ANT_DRV_INVALID);
    check("SPMM refuses A and B that do not chain", ant_layer_spmm(&scratch_desc, ANT_MODE_CODE_ANT, &bt, &bt, 0,
                                                                   ANT_FORMAT_CSR, &arena) == ANT_DRV_INVALID);
    const ant_conv_layer l = {1, 1, 1, M, KD, 3, 3, 1, 1};
    ant_tensor_desc w;
    check("a 3x3 weight for FW", ant_tensor_csr_from_dense(&w, b, 1, 3, 3, &arena) == ANT_OK);
    check("FW refuses an unknown flag",
          ant_layer_fw(&scratch_desc, &l, ANT_MODE_CODE_ANT, &at, &w, 0x80u, 0, ANT_FORMAT_CSR, &arena) ==
              ANT_DRV_INVALID);
    check("FW refuses top-K of 0 entries", ant_layer_fw(&scratch_desc, &l, ANT_MODE_CODE_ANT, &at, &w,
                                                        ANT_JOB_FLAG_TOPK, 0, ANT_FORMAT_CSR, &arena) ==
                                               ANT_DRV_INVALID);
    check("FW with ReLU builds", ant_layer_fw(&scratch_desc, &l, ANT_MODE_CODE_ANT, &at, &w, ANT_JOB_FLAG_RELU, 0,
                                              ANT_FORMAT_CSR, &arena) == ANT_OK &&
                                     scratch_desc.flags == ANT_JOB_FLAG_RELU);
    printf(check_failed ? "layer_builders: FAILED at check %d\n" : "layer_builders: all checks passed\n", check_failed);
    return check_failed;
}
