/* The job manifest from the firmware's side (see ant_manifest_access.h). */
#include "ant_manifest_access.h"

#include <string.h>

#include "ant_driver_internal.h"

static ant_manifest *manifest(void)
{
    ant_manifest *m = (ant_manifest *)(uintptr_t)ANT_MANIFEST_ADDRESS;
    return m->magic == ANT_MANIFEST_MAGIC && m->version == ANT_MANIFEST_VERSION ? m : NULL;
}

const ant_manifest *ant_manifest_get(void) { return manifest(); }

const ant_manifest_tensor *ant_manifest_find(const char *name, uint32_t ndim)
{
    const ant_manifest *m = manifest();
    if (!m || !name)
        return NULL;
    for (uint32_t i = 0; i < m->count && i < ANT_MANIFEST_MAX_TENSORS; i++) {
        const ant_manifest_tensor *t = &m->tensors[i];
        if (strncmp(t->name, name, ANT_MANIFEST_NAME_BYTES) == 0)
            return ndim == 0 || t->ndim == ndim ? t : NULL;
    }
    return NULL;
}

const float *ant_manifest_data(const ant_manifest_tensor *tensor)
{
    return tensor ? (const float *)(uintptr_t)tensor->address : NULL;
}

ant_status ant_manifest_scratch(ant_arena *arena)
{
    const ant_manifest *m = manifest();
    if (!m)
        return ant_driver_record(ANT_DRV_NOT_READY);
    if (!arena)
        return ant_driver_record(ANT_DRV_INVALID);
    /* scratch_end 0 means DRAM reaches the top of the 32-bit address space. */
    const uintptr_t end = m->scratch_end ? m->scratch_end : (uintptr_t)0xFFFFFFC0u; /* 64-byte aligned, no wrap */
    return ant_arena_init(arena, m->scratch_base, end);
}

ant_status ant_manifest_publish(const char *name, const float *data, uint32_t ndim, const uint32_t *shape)
{
    ant_manifest *m = manifest();
    if (!m)
        return ant_driver_record(ANT_DRV_NOT_READY);
    size_t length = 0;
    while (name && length < ANT_MANIFEST_NAME_BYTES && name[length])
        length++;
    if (length == 0 || length >= ANT_MANIFEST_NAME_BYTES || !data || !shape || ndim == 0 ||
        ndim > ANT_MANIFEST_MAX_DIMS || ant_manifest_find(name, 0))
        return ant_driver_record(ANT_DRV_INVALID);
    uint64_t bytes = sizeof(float);
    for (uint32_t d = 0; d < ndim; d++) {
        bytes *= shape[d];
        if (shape[d] == 0 || bytes > 0xFFFFFFFFu)
            return ant_driver_record(ANT_DRV_INVALID);
    }
    if (m->count >= ANT_MANIFEST_MAX_TENSORS)
        return ant_driver_record(ANT_DRV_NO_MEMORY);
    ant_manifest_tensor *t = &m->tensors[m->count];
    memset(t, 0, sizeof *t);
    memcpy(t->name, name, length);
    t->address = (uint32_t)(uintptr_t)data;
    t->bytes = (uint32_t)bytes;
    t->ndim = ndim;
    for (uint32_t d = 0; d < ANT_MANIFEST_MAX_DIMS; d++)
        t->shape[d] = d < ndim ? shape[d] : 1u;
    m->count++;
    return ANT_OK;
}
