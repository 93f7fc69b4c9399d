#include "dataflow.h"

#include <stdlib.h>
#include <string.h>

ant_roles ant_op_roles(ant_op op)
{
    switch (op) {
    case ANT_OP_FW: return (ant_roles){"activation A[n][c]", "weight W[k][c]", "output O[n][k]"};
    case ANT_OP_BD: return (ant_roles){"output gradient dO[n][k]", "weight W[k][c]", "input gradient dA[n][c]"};
    case ANT_OP_BW: return (ant_roles){"activation A[n][c]", "output gradient dO[n][k]", "weight gradient dW[k][c]"};
    case ANT_OP_BW_GS: return (ant_roles){"output gradient dO[n][k]", "activation A[n][c]", "weight gradient dW[k][c]"};
    default: return (ant_roles){"B", "A", "C"};
    }
}

const char *ant_bw_stationary_name(ant_bw_stationary s)
{
    return s == ANT_BW_STATIONARY_GRADIENT ? "gradient" : "activation";
}

ant_op ant_job_op(ant_op op, ant_mode mode, ant_bw_stationary scnn_bw, ant_bw_stationary ant_bw)
{
    if (op == ANT_OP_BW && mode == ANT_MODE_SCNN && scnn_bw == ANT_BW_STATIONARY_GRADIENT)
        return ANT_OP_BW_GS;
    if (op == ANT_OP_BW && mode == ANT_MODE_ANT && ant_bw == ANT_BW_STATIONARY_GRADIENT)
        return ANT_OP_BW_GS;
    return op;
}

ant_dataflow ant_dataflow_of(ant_mode mode, ant_mapping mapping, ant_anticipator anticipator,
                             ant_scnn_packing packing)
{
    if (mode == ANT_MODE_DENSE)
        return ANT_DATAFLOW_DENSE;
    if (mode == ANT_MODE_IDEAL)
        return ANT_DATAFLOW_IDEAL;
    if (mapping == ANT_MAPPING_CHANNEL)
        return ANT_DATAFLOW_CHANNEL;
    if (mode == ANT_MODE_SCNN)
        return packing == ANT_SCNN_CROSS_CHANNEL ? ANT_DATAFLOW_SCNN_PLUS : ANT_DATAFLOW_SCNN_PER_PLANE;
    return anticipator == ANT_ANTICIPATOR_PE ? ANT_DATAFLOW_ANT_PE : ANT_DATAFLOW_ANT_BROADCAST;
}

const char *ant_dataflow_name(ant_dataflow d)
{
    switch (d) {
    case ANT_DATAFLOW_DENSE: return "dense";
    case ANT_DATAFLOW_IDEAL: return "ideal";
    case ANT_DATAFLOW_SCNN_PLUS: return "scnn+ (cross-channel broadcast)";
    case ANT_DATAFLOW_SCNN_PER_PLANE: return "scnn (per-plane broadcast)";
    case ANT_DATAFLOW_ANT_PE: return "ant (per-PE anticipator)";
    case ANT_DATAFLOW_ANT_BROADCAST: return "ant (broadcast window)";
    case ANT_DATAFLOW_CHANNEL: return "channel-parallel";
    }
    return "unknown";
}

int ant_dataflow_packs_vectors(ant_dataflow d)
{
    return d == ANT_DATAFLOW_SCNN_PER_PLANE || d == ANT_DATAFLOW_ANT_BROADCAST || d == ANT_DATAFLOW_CHANNEL;
}

int ant_dataflow_uses_range_calculator(ant_dataflow d)
{
    return d == ANT_DATAFLOW_ANT_BROADCAST || d == ANT_DATAFLOW_CHANNEL;
}

void ant_plan_free(ant_plan *plan)
{
    free(plan->sets);
    free(plan->passes);
    free(plan->pairs);
    free(plan->outputs);
    memset(plan, 0, sizeof *plan);
}

int ant_plan_job(ant_op op, uint32_t n, uint32_t c, uint32_t k, ant_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    const int fw = op == ANT_OP_FW, bd = op == ANT_OP_BD, bw = op == ANT_OP_BW, bw_gs = op == ANT_OP_BW_GS;
    const uint32_t inner = fw ? c : k, outer = fw ? k : c; /* FW/BD: summed over / produced */
    const size_t sets = (fw || bd) ? n : 1;
    const size_t passes = (fw || bd) ? (size_t)n * inner : bw ? (size_t)n * c : bw_gs ? (size_t)n * k : 1;
    const size_t pairs = (fw || bd) ? passes * outer : bw ? passes * k : bw_gs ? passes * c : 1;
    const size_t outputs = (fw || bd) ? (size_t)n * outer : (bw || bw_gs) ? (size_t)k * c : 1;
    plan->sets = malloc(sizeof(ant_drain_set) * sets);
    plan->passes = malloc(sizeof(ant_pass) * passes);
    plan->pairs = malloc(sizeof(ant_pair) * pairs);
    plan->outputs = malloc(sizeof(uint32_t) * outputs);
    if (!plan->sets || !plan->passes || !plan->pairs || !plan->outputs) {
        ant_plan_free(plan);
        return -1;
    }
    if (fw || bd) {
        for (uint32_t s = 0; s < n; ++s) {
            ant_drain_set *set = &plan->sets[plan->n_sets++];
            *set = (ant_drain_set){plan->n_outputs, outer, plan->n_passes, inner};
            for (uint32_t o = 0; o < outer; ++o)
                plan->outputs[plan->n_outputs++] = s * outer + o;
            for (uint32_t i = 0; i < inner; ++i) {
                plan->passes[plan->n_passes++] = (ant_pass){s * inner + i, plan->n_pairs, outer};
                for (uint32_t o = 0; o < outer; ++o)
                    plan->pairs[plan->n_pairs++] = fw ? (ant_pair){o * c + i, s * k + o}
                                                      : (ant_pair){i * c + o, s * c + o};
            }
        }
    } else if (bw) {
        plan->sets[plan->n_sets++] = (ant_drain_set){0, k * c, 0, n * c};
        for (uint32_t o = 0; o < k * c; ++o)
            plan->outputs[plan->n_outputs++] = o;
        for (uint32_t s = 0; s < n; ++s)
            for (uint32_t ch = 0; ch < c; ++ch) {
                plan->passes[plan->n_passes++] = (ant_pass){s * c + ch, plan->n_pairs, k};
                for (uint32_t kk = 0; kk < k; ++kk)
                    plan->pairs[plan->n_pairs++] = (ant_pair){s * k + kk, kk * c + ch};
            }
    } else if (op == ANT_OP_BW_GS) {
        plan->sets[plan->n_sets++] = (ant_drain_set){0, k * c, 0, n * k};
        for (uint32_t o = 0; o < k * c; ++o)
            plan->outputs[plan->n_outputs++] = o;
        for (uint32_t s = 0; s < n; ++s)
            for (uint32_t kk = 0; kk < k; ++kk) {
                plan->passes[plan->n_passes++] = (ant_pass){s * k + kk, plan->n_pairs, c};
                for (uint32_t ch = 0; ch < c; ++ch)
                    plan->pairs[plan->n_pairs++] = (ant_pair){s * c + ch, kk * c + ch};
            }
    } else {
        plan->sets[plan->n_sets++] = (ant_drain_set){0, 1, 0, 1};
        plan->outputs[plan->n_outputs++] = 0;
        plan->passes[plan->n_passes++] = (ant_pass){0, 0, 1};
        plan->pairs[plan->n_pairs++] = (ant_pair){0, 0};
    }
    return 0;
}
