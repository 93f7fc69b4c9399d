/* layer_job: runs one convolution layer's three jobs on the accelerator with tensors the host
 * placed in DRAM (`ant-vp run --load x=... --load w=... --load dy=...`, see
 * sw/include/ant_manifest.h):
 *
 *   x  activation      N x C x H x W
 *   w  weight          K x C x R x S
 *   dy output gradient N x K x Ho x Wo (optional; without it only FW runs, stride 1, "same" padding)
 *
 * Stride and padding are the smallest (stride 1..4, then padding 0..R-1) that turn H x W into
 * Ho x Wo. The firmware compresses the operands to CSR (models/algo/csr.c), builds the FW, BD
 * and BW descriptors with dense outputs, submits each, sleeps in wfi until its interrupt, prints
 * its counters and appends the output to the manifest as y, dx and dw for `--save`.
 * Exit 0 when every job succeeded; 3 bad or missing inputs, 4 out of scratch memory,
 * 10 + the job's index (FW 0, BD 1, BW 2) when a job failed. */
#include <stdio.h>
#include <string.h>

#include "ant_driver.h"
#include "ant_manifest_access.h"
#include "hal.h"

#define MODE ANT_MODE_CODE_ANT

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

static void print_counters(const char *op, ant_status s)
{
    ant_counters c;
    char b[6][24];
    if (ant_read_counters(&c) != ANT_OK) {
        printf("%s: cannot read counters\n", op);
        return;
    }
    printf("%s: %s; cycles %s, vector pairs %s, valid products %s, RCPs %s, DRAM read %s B, written %s B\n",
           op, ant_error_name(s), u64(c.cycles, b[0]), u64(c.vector_pairs, b[1]), u64(c.products_valid, b[2]),
           u64(c.products_rcp, b[3]), u64(c.dram_read_bytes, b[4]), u64(c.dram_write_bytes, b[5]));
}

/* Runs one job and publishes its dense output; returns 0 or the exit code. */
static int run_job(const char *op, const char *out_name, int index, ant_job_desc *desc, const uint32_t shape[4])
{
    ant_ticket ticket;
    ant_status s = ant_submit(desc, &ticket);
    if (s == ANT_OK)
        s = ant_wait(ticket, desc, 0);
    print_counters(op, s);
    if (s != ANT_OK)
        return 10 + index;
    /* The accelerator wrote the output dense, in place: publish it as it is. */
    if (ant_manifest_publish(out_name, (const float *)(uintptr_t)desc->out.values, 4, shape) != ANT_OK)
        return 4;
    return 0;
}

static int output_desc(ant_job_desc *d, const uint32_t shape[4], ant_arena *arena)
{
    const uint32_t planes = shape[0] * shape[1];
    return ant_tensor_output(&d->out, ANT_FORMAT_DENSE, planes, shape[2], shape[3], 0, arena) == ANT_OK;
}

int main(void)
{
    hal_uart_init();
    printf("layer_job: FW, BD and BW through the ANT accelerator\n");
    if (!ant_manifest_get()) {
        printf("layer_job: no job manifest in DRAM (run with --load x=x.npy --load w=w.npy [--load dy=dy.npy])\n");
        return 3;
    }
    const ant_manifest_tensor *x = ant_manifest_find("x", 4), *w = ant_manifest_find("w", 4),
                              *dy = ant_manifest_find("dy", 4);
    if (!x || !w || x->shape[1] != w->shape[1]) {
        printf("layer_job: need x (N,C,H,W) and w (K,C,R,S) with the same C\n");
        return 3;
    }
    const uint32_t n = x->shape[0], c = x->shape[1], h = x->shape[2], wd = x->shape[3];
    const uint32_t k = w->shape[0], r = w->shape[2], s = w->shape[3];
    uint32_t stride = 1, pad = (r - 1) / 2;
    if (dy) {
        int found = 0;
        if (dy->shape[0] == n && dy->shape[1] == k)
            for (uint32_t st = 1; st <= 4 && !found; st++)
                for (uint32_t p = 0; p < r && !found; p++)
                    if (ant_conv_out(h, r, st, p) == dy->shape[2] && ant_conv_out(wd, s, st, p) == dy->shape[3]) {
                        stride = st;
                        pad = p;
                        found = 1;
                    }
        if (!found) {
            printf("layer_job: dy's shape does not match x and w for any stride 1..4 and padding\n");
            return 3;
        }
    }
    const uint32_t ho = ant_conv_out(h, r, stride, pad), wo = ant_conv_out(wd, s, stride, pad);
    printf("layer: N=%lu C=%lu K=%lu H=%lu W=%lu R=%lu S=%lu stride %lu padding %lu -> %lux%lu\n",
           (unsigned long)n, (unsigned long)c, (unsigned long)k, (unsigned long)h, (unsigned long)wd,
           (unsigned long)r, (unsigned long)s, (unsigned long)stride, (unsigned long)pad, (unsigned long)ho,
           (unsigned long)wo);

    ant_status st = ant_init();
    if (st != ANT_OK) {
        printf("layer_job: ant_init: %s\n", ant_error_name(st));
        return 5;
    }
    ant_arena arena;
    if (ant_manifest_scratch(&arena) != ANT_OK)
        return 4;

    /* Operands in CSR, compressed once and shared by the jobs. */
    ant_tensor_desc xt, wt, dyt;
    if (ant_tensor_csr_from_dense(&xt, (const float *)(uintptr_t)x->address, n * c, h, wd, &arena) != ANT_OK ||
        ant_tensor_csr_from_dense(&wt, (const float *)(uintptr_t)w->address, k * c, r, s, &arena) != ANT_OK ||
        (dy && ant_tensor_csr_from_dense(&dyt, (const float *)(uintptr_t)dy->address, n * k, ho, wo, &arena) !=
                   ANT_OK)) {
        printf("layer_job: compressing the operands: %s\n", ant_error_name(ant_last_error()));
        return 4;
    }

    ant_job_desc *desc;
    if (ant_arena_alloc(&arena, 3 * sizeof *desc, 64, (void **)&desc) != ANT_OK)
        return 4;
    const uint32_t y_shape[4] = {n, k, ho, wo}, dx_shape[4] = {n, c, h, wd}, dw_shape[4] = {k, c, r, s};
    const uint32_t ops[3] = {ANT_OP_CODE_FW, ANT_OP_CODE_BD, ANT_OP_CODE_BW};
    const uint32_t *shapes[3] = {y_shape, dx_shape, dw_shape};
    for (int j = 0; j < 3; j++)
        if (ant_job_conv(&desc[j], ops[j], MODE, n, c, k, h, wd, r, s, stride, pad) != ANT_OK ||
            !output_desc(&desc[j], shapes[j], &arena)) {
            printf("layer_job: building descriptor %d: %s\n", j, ant_error_name(ant_last_error()));
            return 4;
        }
    desc[0].a = xt;
    desc[0].b = wt;
    int rc = run_job("FW", "y", 0, &desc[0], y_shape);
    if (rc == 0 && dy) {
        desc[1].a = dyt;
        desc[1].b = wt;
        rc = run_job("BD", "dx", 1, &desc[1], dx_shape);
    }
    if (rc == 0 && dy) {
        desc[2].a = xt;
        desc[2].b = dyt;
        rc = run_job("BW", "dw", 2, &desc[2], dw_shape);
    }
    printf(rc == 0 ? "layer_job: all jobs done, %lu interrupts\n" : "layer_job: FAILED (%lu interrupts)\n",
           (unsigned long)ant_interrupt_count());
    return rc;
}
