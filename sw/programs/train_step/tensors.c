/* The tensors of one iteration and running jobs (train_state.h). */
#include <stdio.h>
#include <string.h>

#include "train_state.h"

void *ts_take(ts_state *s, size_t bytes)
{
    void *p = NULL;
    if (ant_arena_alloc(&s->arena, bytes ? bytes : 4u, 64, &p) != ANT_OK)
        return NULL;
    return p;
}

float *ts_zeros(ts_state *s, uint32_t count)
{
    float *p = ts_take(s, (size_t)count * 4u);
    if (p)
        memset(p, 0, (size_t)count * 4u);
    return p;
}

int ts_compress(ts_state *s, ant_tensor_desc *t, const float *dense, uint32_t planes, uint32_t rows, uint32_t cols)
{
    const uint64_t start = ts_instructions();
    const int ok = ant_tensor_csr_from_dense(t, dense, planes, rows, cols, &s->arena) == ANT_OK;
    s->report.conversion_instructions += ts_instructions() - start;
    return ok;
}

int ts_dense_of(ts_state *s, uint32_t t)
{
    ts_tensor *x = &s->tensor[t];
    if (x->dense)
        return 1;
    if (!(x->dense = ts_take(s, (size_t)ts_elements(&s->net.shape[t]) * 4u)))
        return 0;
    const uint64_t start = ts_instructions();
    const int ok = ant_tensor_to_dense(&x->csr, x->dense) == ANT_OK;
    s->report.conversion_instructions += ts_instructions() - start;
    return ok;
}

int ts_csr_of(ts_state *s, uint32_t t)
{
    ts_tensor *x = &s->tensor[t];
    if (!x->has_csr) {
        const ts_shape *sh = &s->net.shape[t];
        x->has_csr = ts_compress(s, &x->csr, x->dense, sh->n * sh->c, sh->h, sh->w);
    }
    return x->has_csr;
}

int ts_grad_of(ts_state *s, uint32_t t)
{
    ts_tensor *x = &s->tensor[t];
    return x->grad || (x->grad = ts_zeros(s, ts_elements(&s->net.shape[t]))) != NULL;
}

int ts_job(ts_state *s, uint32_t j, const char *op, ant_job_desc *d)
{
    const ant_status status = ant_run_job(d);
    const char *type = ts_layer_type_name(s->net.layer[j].type);
    ts_report_job(&s->report, j, type, op, status);
    if (status != ANT_OK) {
        char why[128] = "";
        if ((int)status > 0 && (int)status <= (int)ANT_ERR_BUS && ant_error_text(why, sizeof why) != ANT_OK)
            why[0] = 0; /* the accelerator's own sentence, when it has one */
        printf("train_step: FAILED: layer %lu (%s) %s job: %s (ant_error %d)%s%s\n", (unsigned long)j, type, op,
               ant_error_name(status), (int)status, why[0] ? ": " : "", why);
        return EXIT_JOB_FAILED;
    }
    return 0;
}
