/* Publishes one output tensor `out` in the job manifest, well formed or malformed as the
 * first value of the loaded tensor `case` selects (tests/cli/run_hardening_test.py):
 *   0: a valid 2x3 tensor        1: shape 65536^4 (its byte count wraps to 0)
 *   2: shape 2^31 x 2^31 (wraps)  3: a zero-size shape (0 elements)
 * `--save out=...` must write case 0 and refuse the others with exit 74. */
#include <stdio.h>

#include "ant_manifest.h"
#include "hal.h"

static ant_manifest *const manifest = (ant_manifest *)ANT_MANIFEST_ADDRESS;

int main(void)
{
    if (manifest->magic != ANT_MANIFEST_MAGIC || manifest->inputs < 1) {
        printf("manifest_entries: run with --load case=case.npy\n");
        return 3;
    }
    const float *selector = (const float *)(uintptr_t)manifest->tensors[0].address;
    const int which = (int)selector[0];
    float *data = (float *)(uintptr_t)manifest->scratch_base;
    for (int i = 0; i < 6; i++)
        data[i] = (float)i;
    ant_manifest_tensor *t = &manifest->tensors[manifest->count];
    const char name[] = "out";
    for (unsigned i = 0; i < sizeof name; i++)
        t->name[i] = name[i];
    t->address = manifest->scratch_base;
    t->ndim = 2;
    t->shape[0] = 2, t->shape[1] = 3, t->shape[2] = 1, t->shape[3] = 1;
    t->bytes = 24;
    if (which == 1) {
        t->ndim = 4;
        t->shape[0] = t->shape[1] = t->shape[2] = t->shape[3] = 65536u;
        t->bytes = 0;
    } else if (which == 2) {
        t->shape[0] = t->shape[1] = 0x80000000u;
        t->bytes = 0;
    } else if (which == 3) {
        t->shape[0] = 0;
        t->bytes = 0;
    }
    manifest->count++;
    return 0;
}
