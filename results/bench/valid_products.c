/* The floor for a functional simulator of a sparse convolution job: a plain scalar loop that
 * multiplies only the operand pairs whose product lands in the output (the valid products)
 * and scatter-adds them. Timed from dense float32 operands in memory to the dense result, so
 * the compression of the sparse operands into per-position lists is included, as a simulator
 * must do it too. No SIMD, no threads: one core, one product at a time.
 *
 *   valid_products OP N C H W K R S SH SW PH PW A.f32 B.f32 OUT.f32 REPS
 *
 * OP and the operands follow `ant-vp layer`: fw A = activations (N,C,H,W), B = weights
 * (K,C,R,S) -> output (N,K,Ho,Wo); bd A = output gradients (N,K,Ho,Wo), B = weights ->
 * input gradients (N,C,H,W); bw A = activations, B = output gradients -> weight gradients
 * (K,C,R,S) summed over the batch. Files are raw float32 in C order. Prints one line,
 * `products=P median_s=T min_s=T median_cpu_s=T reps=R` (wall and CPU seconds), and writes
 * the result of the last repetition.
 * Exit 2 on bad arguments or files, with one line on stderr.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    int n, c, h, w, k, r, s, sh, sw, ph, pw, ho, wo;
} Geometry;

/* Non-zeros of a tensor grouped by a key: entries of group g are [start[g], start[g+1]). */
typedef struct {
    int32_t *start;
    int32_t *index;
    float *value;
} Lists;

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "valid_products: error: %s%s\n", msg, arg ? arg : "");
    exit(2);
}

static void *alloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size);
    if (!p)
        die("out of memory", NULL);
    return p;
}

static float *read_f32(const char *path, size_t count)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open ", path);
    float *data = alloc(count, sizeof(float));
    size_t got = fread(data, sizeof(float), count, f);
    int extra = fgetc(f);
    fclose(f);
    if (got != count || extra != EOF)
        die("size does not match the geometry: ", path);
    return data;
}

/* Groups the non-zeros of a 4-D tensor [d0][d1][d2][d3] by key(d0, d1, d2, d3), keeping the
 * coordinate `keep` (0..3) as the entry's index. Two passes: count, then fill. */
static Lists group(const float *t, const int dims[4], int keep, int (*key)(const int *, const Geometry *),
                   int groups, const Geometry *g)
{
    Lists l = {alloc((size_t)groups + 1, sizeof(int32_t)), NULL, NULL};
    size_t total = (size_t)dims[0] * dims[1] * dims[2] * dims[3];
    int at[4];
    size_t nnz = 0;
    for (size_t i = 0; i < total; i++) {
        if (t[i] == 0.0f)
            continue;
        size_t rest = i;
        for (int d = 3; d >= 0; d--) {
            at[d] = (int)(rest % (size_t)dims[d]);
            rest /= (size_t)dims[d];
        }
        l.start[key(at, g) + 1]++;
        nnz++;
    }
    for (int i = 0; i < groups; i++)
        l.start[i + 1] += l.start[i];
    l.index = alloc(nnz, sizeof(int32_t));
    l.value = alloc(nnz, sizeof(float));
    int32_t *fill = alloc((size_t)groups, sizeof(int32_t));
    memcpy(fill, l.start, (size_t)groups * sizeof(int32_t));
    for (size_t i = 0; i < total; i++) {
        if (t[i] == 0.0f)
            continue;
        size_t rest = i;
        for (int d = 3; d >= 0; d--) {
            at[d] = (int)(rest % (size_t)dims[d]);
            rest /= (size_t)dims[d];
        }
        int32_t slot = fill[key(at, g)]++;
        l.index[slot] = at[keep];
        l.value[slot] = t[i];
    }
    free(fill);
    return l;
}

static void release(Lists *l)
{
    free(l->start);
    free(l->index);
    free(l->value);
}

/* Weights (K,C,R,S) by (c,r,s), entries indexed by k (FW) ... */
static int key_crs(const int *at, const Geometry *g) { return (at[1] * g->r + at[2]) * g->s + at[3]; }
/* ... or by (k,r,s), entries indexed by c (BD). */
static int key_krs(const int *at, const Geometry *g) { return (at[0] * g->r + at[2]) * g->s + at[3]; }
/* Output gradients (N,K,Ho,Wo) by (n,oh,ow), entries indexed by k (BW). */
static int key_nhw(const int *at, const Geometry *g) { return (at[0] * g->ho + at[2]) * g->wo + at[3]; }

/* The output coordinate that input row h feeds through kernel row r, or -1. */
static inline int out_coord(int h, int r, int pad, int stride, int limit)
{
    int num = h + pad - r;
    if (num < 0 || num % stride)
        return -1;
    num /= stride;
    return num < limit ? num : -1;
}

static long long forward(const Geometry *g, const float *act, const float *wgt, float *out)
{
    int wd[4] = {g->k, g->c, g->r, g->s};
    Lists wl = group(wgt, wd, 0, key_crs, g->c * g->r * g->s, g);
    long long products = 0;
    size_t plane = (size_t)g->ho * g->wo;
    for (int n = 0; n < g->n; n++)
        for (int c = 0; c < g->c; c++)
            for (int h = 0; h < g->h; h++)
                for (int w = 0; w < g->w; w++) {
                    float a = act[(((size_t)n * g->c + c) * g->h + h) * g->w + w];
                    if (a == 0.0f)
                        continue;
                    for (int r = 0; r < g->r; r++) {
                        int oh = out_coord(h, r, g->ph, g->sh, g->ho);
                        if (oh < 0)
                            continue;
                        for (int s = 0; s < g->s; s++) {
                            int ow = out_coord(w, s, g->pw, g->sw, g->wo);
                            if (ow < 0)
                                continue;
                            int key = (c * g->r + r) * g->s + s;
                            float *base = out + (size_t)n * g->k * plane + (size_t)oh * g->wo + ow;
                            for (int32_t e = wl.start[key]; e < wl.start[key + 1]; e++)
                                base[(size_t)wl.index[e] * plane] += a * wl.value[e];
                            products += wl.start[key + 1] - wl.start[key];
                        }
                    }
                }
    release(&wl);
    return products;
}

static long long backward_data(const Geometry *g, const float *grad, const float *wgt, float *out)
{
    int wd[4] = {g->k, g->c, g->r, g->s};
    Lists wl = group(wgt, wd, 1, key_krs, g->k * g->r * g->s, g);
    long long products = 0;
    size_t plane = (size_t)g->h * g->w;
    for (int n = 0; n < g->n; n++)
        for (int k = 0; k < g->k; k++)
            for (int oh = 0; oh < g->ho; oh++)
                for (int ow = 0; ow < g->wo; ow++) {
                    float d = grad[(((size_t)n * g->k + k) * g->ho + oh) * g->wo + ow];
                    if (d == 0.0f)
                        continue;
                    for (int r = 0; r < g->r; r++) {
                        int h = oh * g->sh - g->ph + r;
                        if (h < 0 || h >= g->h)
                            continue;
                        for (int s = 0; s < g->s; s++) {
                            int w = ow * g->sw - g->pw + s;
                            if (w < 0 || w >= g->w)
                                continue;
                            int key = (k * g->r + r) * g->s + s;
                            float *base = out + (size_t)n * g->c * plane + (size_t)h * g->w + w;
                            for (int32_t e = wl.start[key]; e < wl.start[key + 1]; e++)
                                base[(size_t)wl.index[e] * plane] += d * wl.value[e];
                            products += wl.start[key + 1] - wl.start[key];
                        }
                    }
                }
    release(&wl);
    return products;
}

static long long backward_weight(const Geometry *g, const float *act, const float *grad, float *out)
{
    int gd[4] = {g->n, g->k, g->ho, g->wo};
    Lists gl = group(grad, gd, 1, key_nhw, g->n * g->ho * g->wo, g);
    long long products = 0;
    size_t kstride = (size_t)g->c * g->r * g->s;
    for (int n = 0; n < g->n; n++)
        for (int c = 0; c < g->c; c++)
            for (int h = 0; h < g->h; h++)
                for (int w = 0; w < g->w; w++) {
                    float a = act[(((size_t)n * g->c + c) * g->h + h) * g->w + w];
                    if (a == 0.0f)
                        continue;
                    for (int r = 0; r < g->r; r++) {
                        int oh = out_coord(h, r, g->ph, g->sh, g->ho);
                        if (oh < 0)
                            continue;
                        for (int s = 0; s < g->s; s++) {
                            int ow = out_coord(w, s, g->pw, g->sw, g->wo);
                            if (ow < 0)
                                continue;
                            int key = (n * g->ho + oh) * g->wo + ow;
                            float *base = out + ((size_t)c * g->r + r) * g->s + s;
                            for (int32_t e = gl.start[key]; e < gl.start[key + 1]; e++)
                                base[(size_t)gl.index[e] * kstride] += a * gl.value[e];
                            products += gl.start[key + 1] - gl.start[key];
                        }
                    }
                }
    release(&gl);
    return products;
}

static int positive(const char *text)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (*end || v < 0 || v > 1 << 20)
        die("not a count: ", text);
    return (int)v;
}

static double now(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 17)
        die("usage: valid_products fw|bd|bw N C H W K R S SH SW PH PW A.f32 B.f32 OUT.f32 REPS", NULL);
    const char *op = argv[1];
    int v[11];
    for (int i = 0; i < 11; i++)
        v[i] = positive(argv[2 + i]);
    Geometry g = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], 0, 0};
    if (!g.n || !g.c || !g.h || !g.w || !g.k || !g.r || !g.s || !g.sh || !g.sw)
        die("sizes and strides must be at least 1", NULL);
    g.ho = (g.h + 2 * g.ph - g.r) / g.sh + 1;
    g.wo = (g.w + 2 * g.pw - g.s) / g.sw + 1;
    if (g.h + 2 * g.ph < g.r || g.w + 2 * g.pw < g.s)
        die("kernel larger than the padded input", NULL);
    int reps = positive(argv[16]);
    if (reps < 1)
        die("REPS must be at least 1", NULL);

    size_t act = (size_t)g.n * g.c * g.h * g.w, wgt = (size_t)g.k * g.c * g.r * g.s,
           grad = (size_t)g.n * g.k * g.ho * g.wo;
    size_t a_size, b_size, out_size;
    long long (*run)(const Geometry *, const float *, const float *, float *);
    if (!strcmp(op, "fw"))
        a_size = act, b_size = wgt, out_size = grad, run = forward;
    else if (!strcmp(op, "bd"))
        a_size = grad, b_size = wgt, out_size = act, run = backward_data;
    else if (!strcmp(op, "bw"))
        a_size = act, b_size = grad, out_size = wgt, run = backward_weight;
    else
        die("unknown op ", op);
    float *a = read_f32(argv[13], a_size), *b = read_f32(argv[14], b_size);
    float *out = alloc(out_size, sizeof(float));
    double *seconds = alloc((size_t)reps, sizeof(double)), *cpu = alloc((size_t)reps, sizeof(double));
    long long products = 0;
    for (int i = 0; i < reps; i++) {
        double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
        memset(out, 0, out_size * sizeof(float));
        products = run(&g, a, b, out);
        seconds[i] = now(CLOCK_MONOTONIC) - t0;
        cpu[i] = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    }
    FILE *f = fopen(argv[15], "wb");
    if (!f || fwrite(out, sizeof(float), out_size, f) != out_size || fclose(f))
        die("cannot write ", argv[15]);
    qsort(seconds, (size_t)reps, sizeof(double), by_value);
    qsort(cpu, (size_t)reps, sizeof(double), by_value);
    printf("products=%lld median_s=%.9g min_s=%.9g median_cpu_s=%.9g reps=%d\n", products, seconds[reps / 2],
           seconds[0], cpu[reps / 2], reps);
    free(a);
    free(b);
    free(out);
    free(seconds);
    free(cpu);
    return 0;
}
