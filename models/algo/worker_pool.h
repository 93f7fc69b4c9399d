/* A fixed set of worker threads that run a batch of independent tasks inside one call: the
 * PE array spreads one pass's tiles and output planes over them. The calling thread works
 * too (it is worker 0), so a pool of one thread runs everything inline and starts no thread.
 *
 * Which worker runs which task is not fixed; results stay deterministic because every task
 * writes only its own outputs (its slot of a per-task array, its own tiles or planes) and
 * the caller combines them in task order after the batch. */
#ifndef ANT_WORKER_POOL_H
#define ANT_WORKER_POOL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ant_worker_pool ant_worker_pool;

/* Runs task `task` of a batch on worker `worker` (0 .. threads-1: an index for per-worker
 * scratch, never for results). */
typedef void (*ant_task_fn)(void *context, uint32_t task, uint32_t worker);

/* A pool of `threads` workers (the caller and threads - 1 started threads); threads 0 counts
 * as 1. NULL if memory or threads run out. */
ant_worker_pool *ant_worker_pool_create(uint32_t threads);
void ant_worker_pool_destroy(ant_worker_pool *pool);
uint32_t ant_worker_pool_threads(const ant_worker_pool *pool);

/* Runs tasks 0 .. n_tasks-1 and returns when all are done. */
void ant_worker_pool_run(ant_worker_pool *pool, uint32_t n_tasks, ant_task_fn fn, void *context);

/* The number of processors online (at least 1): the default thread count. */
uint32_t ant_online_cpus(void);

#ifdef __cplusplus
}
#endif

#endif /* ANT_WORKER_POOL_H */
