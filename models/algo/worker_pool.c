#define _POSIX_C_SOURCE 200809L
#include "worker_pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct ant_worker_pool {
    uint32_t threads;
    pthread_t *helpers; /* threads - 1 */
    pthread_mutex_t lock;
    pthread_cond_t start, done;
    /* The current batch, guarded by lock. */
    uint64_t batch;     /* incremented for every batch; helpers wait for a new value */
    ant_task_fn fn;
    void *context;
    uint32_t n_tasks, next_task, unfinished;
    int stopping;
};

typedef struct helper_start {
    ant_worker_pool *pool;
    uint32_t worker;
} helper_start;

/* Claims and runs tasks of the current batch until none is left; called with lock held,
 * returns with it held. */
static void work_on_batch(ant_worker_pool *p, uint32_t worker)
{
    while (p->next_task < p->n_tasks) {
        const uint32_t task = p->next_task++;
        pthread_mutex_unlock(&p->lock);
        p->fn(p->context, task, worker);
        pthread_mutex_lock(&p->lock);
        if (--p->unfinished == 0)
            pthread_cond_broadcast(&p->done);
    }
}

static void *helper_main(void *arg)
{
    helper_start start = *(helper_start *)arg;
    free(arg);
    ant_worker_pool *p = start.pool;
    uint64_t seen = 0;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stopping && p->batch == seen)
            pthread_cond_wait(&p->start, &p->lock);
        if (p->stopping)
            break;
        seen = p->batch;
        work_on_batch(p, start.worker);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

uint32_t ant_online_cpus(void)
{
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1u : n > 1024 ? 1024u : (uint32_t)n;
}

ant_worker_pool *ant_worker_pool_create(uint32_t threads)
{
    ant_worker_pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->threads = threads ? threads : 1;
    if (pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p);
        return NULL;
    }
    pthread_cond_init(&p->start, NULL);
    pthread_cond_init(&p->done, NULL);
    p->helpers = calloc(p->threads, sizeof(pthread_t));
    if (!p->helpers) {
        p->threads = 1;
        ant_worker_pool_destroy(p);
        return NULL;
    }
    for (uint32_t w = 1; w < p->threads; ++w) {
        helper_start *start = malloc(sizeof *start);
        if (start) {
            start->pool = p;
            start->worker = w;
        }
        if (!start || pthread_create(&p->helpers[w - 1], NULL, helper_main, start) != 0) {
            free(start);
            p->threads = w; /* the helpers started so far are joined */
            ant_worker_pool_destroy(p);
            return NULL;
        }
    }
    return p;
}

void ant_worker_pool_destroy(ant_worker_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    pthread_cond_broadcast(&p->start);
    pthread_mutex_unlock(&p->lock);
    for (uint32_t w = 1; w < p->threads; ++w)
        pthread_join(p->helpers[w - 1], NULL);
    pthread_cond_destroy(&p->start);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->lock);
    free(p->helpers);
    free(p);
}

uint32_t ant_worker_pool_threads(const ant_worker_pool *p) { return p ? p->threads : 1; }

void ant_worker_pool_run(ant_worker_pool *p, uint32_t n_tasks, ant_task_fn fn, void *context)
{
    if (!p || p->threads == 1 || n_tasks <= 1) {
        for (uint32_t t = 0; t < n_tasks; ++t)
            fn(context, t, 0);
        return;
    }
    pthread_mutex_lock(&p->lock);
    p->fn = fn;
    p->context = context;
    p->n_tasks = n_tasks;
    p->next_task = 0;
    p->unfinished = n_tasks;
    ++p->batch;
    pthread_cond_broadcast(&p->start);
    work_on_batch(p, 0);
    /* Wait for the tasks helpers took, not for every helper: one the scheduler has not woken
     * yet finds the batch empty (or joins a later one), which costs nothing here. */
    while (p->unfinished > 0)
        pthread_cond_wait(&p->done, &p->lock);
    pthread_mutex_unlock(&p->lock);
}
