/* The PE array's kernels before their fast path, for the tests that hold the fast path to
 * the same counters and tensors (dataflow_reference.c). */
#ifndef ANT_DATAFLOW_REFERENCE_H
#define ANT_DATAFLOW_REFERENCE_H

#include "outer_product.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ant_array_run with the reference implementation of every dataflow the fast path changed;
 * the others run as ant_array_run does. */
int ant_array_run_reference(ant_array *a, ant_mode mode, const csr_plane *s, const ant_broadcast_job *jobs,
                            uint32_t n_jobs, ant_counters *ctr);

/* Exported partial sums counted over every output, as before the count became
 * incremental: what ant_array_exported_psums must equal. */
uint64_t ant_array_exported_psums_by_full_scan(const ant_array *a);

#ifdef __cplusplus
}
#endif

#endif /* ANT_DATAFLOW_REFERENCE_H */
