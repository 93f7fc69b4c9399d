/* Descriptor builders for layer jobs (see ant_layer_jobs.h). */
#include "ant_layer_jobs.h"

static int shaped(const ant_tensor_desc *t, uint32_t planes, uint32_t rows, uint32_t cols)
{
    return t && t->planes == planes && t->rows == rows && t->cols == cols &&
           (t->format == ANT_FORMAT_CSR || t->format == ANT_FORMAT_DENSE);
}

uint32_t ant_layer_out_h(const ant_conv_layer *l) { return ant_conv_out(l->h, l->r, l->stride, l->pad); }
uint32_t ant_layer_out_w(const ant_conv_layer *l) { return ant_conv_out(l->w, l->s, l->stride, l->pad); }

static ant_status conv(ant_job_desc *d, uint32_t op, const ant_conv_layer *l, uint32_t mode)
{
    if (!d || !l)
        return ANT_DRV_INVALID;
    return ant_job_conv(d, op, mode, l->n, l->c, l->k, l->h, l->w, l->r, l->s, l->stride, l->pad);
}

static ant_status output(ant_job_desc *d, uint32_t format, uint32_t planes, uint32_t rows, uint32_t cols,
                         ant_arena *arena)
{
    return ant_tensor_output(&d->out, format, planes, rows, cols, planes * rows * cols, arena);
}

ant_status ant_layer_fw(ant_job_desc *d, const ant_conv_layer *l, uint32_t mode, const ant_tensor_desc *act,
                        const ant_tensor_desc *weight, uint32_t flags, uint32_t topk, uint32_t out_format,
                        ant_arena *arena)
{
    ant_status s = conv(d, ANT_OP_CODE_FW, l, mode);
    if (s != ANT_OK)
        return s;
    const uint32_t ho = ant_layer_out_h(l), wo = ant_layer_out_w(l);
    if (!shaped(act, l->n * l->c, l->h, l->w) || !shaped(weight, l->k * l->c, l->r, l->s) ||
        (flags & ~(ANT_JOB_FLAG_RELU | ANT_JOB_FLAG_TOPK)) || ((flags & ANT_JOB_FLAG_TOPK) && topk == 0))
        return ANT_DRV_INVALID;
    d->a = *act;
    d->b = *weight;
    d->flags = flags;
    d->topk = (flags & ANT_JOB_FLAG_TOPK) ? topk : 0;
    return output(d, out_format, l->n * l->k, ho, wo, arena);
}

ant_status ant_layer_bd(ant_job_desc *d, const ant_conv_layer *l, uint32_t mode, const ant_tensor_desc *grad_out,
                        const ant_tensor_desc *weight, uint32_t out_format, ant_arena *arena)
{
    ant_status s = conv(d, ANT_OP_CODE_BD, l, mode);
    if (s != ANT_OK)
        return s;
    if (!shaped(grad_out, l->n * l->k, ant_layer_out_h(l), ant_layer_out_w(l)) ||
        !shaped(weight, l->k * l->c, l->r, l->s))
        return ANT_DRV_INVALID;
    d->a = *grad_out;
    d->b = *weight;
    return output(d, out_format, l->n * l->c, l->h, l->w, arena);
}

ant_status ant_layer_bw(ant_job_desc *d, const ant_conv_layer *l, uint32_t mode, const ant_tensor_desc *act,
                        const ant_tensor_desc *grad_out, ant_arena *arena)
{
    ant_status s = conv(d, ANT_OP_CODE_BW, l, mode);
    if (s != ANT_OK)
        return s;
    if (!shaped(act, l->n * l->c, l->h, l->w) || !shaped(grad_out, l->n * l->k, ant_layer_out_h(l), ant_layer_out_w(l)))
        return ANT_DRV_INVALID;
    d->a = *act;
    d->b = *grad_out;
    return output(d, ANT_FORMAT_DENSE, l->k * l->c, l->r, l->s, arena);
}

ant_status ant_layer_spmm(ant_job_desc *d, uint32_t mode, const ant_tensor_desc *a, const ant_tensor_desc *b,
                          uint32_t flags, uint32_t out_format, ant_arena *arena)
{
    if (!d || !a || !b || a->planes != 1 || b->planes != 1 || a->cols != b->rows || mode > ANT_MODE_CODE_IDEAL ||
        (flags & ~ANT_JOB_FLAG_RELU))
        return ANT_DRV_INVALID;
    const ant_job_desc zero = {0};
    *d = zero;
    d->op = ANT_OP_CODE_SPMM;
    d->mode = mode;
    d->a = *a;
    d->b = *b;
    d->flags = flags;
    return output(d, out_format, 1, a->rows, b->cols, arena);
}

ant_status ant_run_job(ant_job_desc *d)
{
    ant_ticket ticket;
    ant_status s = ant_submit(d, &ticket);
    if (s == ANT_OK)
        s = ant_wait(ticket, d, 0);
    return s;
}
