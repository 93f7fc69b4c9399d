/* The driver's manifest helpers (sw/driver/ant_manifest_access.h), run with
 * `--load a=<2x3 float32> --save b=<out>`: finds `a`, publishes b = 2a reshaped to 3x2 for
 * --save, and checks every refusal of ant_manifest_publish. Without a manifest it checks the
 * NOT_READY answers and exits 3. Prints one line per check; exits 0 when all pass, otherwise
 * the number of the first failed check. */
#include <stdio.h>

#include "ant_manifest_access.h"
#include "check.h"
#include "hal.h"

int main(void)
{
    hal_uart_init();
    ant_arena arena;
    static float b[6];
    const uint32_t shape_b[2] = {3, 2};
    if (!ant_manifest_get()) {
        check("publish without a manifest is NOT_READY",
              ant_manifest_publish("b", b, 2, shape_b) == ANT_DRV_NOT_READY);
        check("scratch without a manifest is NOT_READY", ant_manifest_scratch(&arena) == ANT_DRV_NOT_READY);
        check("find without a manifest is NULL", ant_manifest_find("a", 0) == NULL);
        return check_failed ? check_failed : 3;
    }
    const ant_manifest_tensor *a = ant_manifest_find("a", 2);
    check("find a as 2-D", a && a->shape[0] == 2 && a->shape[1] == 3);
    check("find a as 3-D is NULL", ant_manifest_find("a", 3) == NULL);
    check("find an absent name is NULL", ant_manifest_find("zz", 0) == NULL);
    check("scratch arena starts at scratch_base",
          ant_manifest_scratch(&arena) == ANT_OK && arena.next == ant_manifest_get()->scratch_base);
    if (!a)
        return check_failed;
    const float *av = ant_manifest_data(a);
    for (int i = 0; i < 6; i++)
        b[i] = 2.0f * av[i];
    check("publish b", ant_manifest_publish("b", b, 2, shape_b) == ANT_OK);
    check("find b", ant_manifest_find("b", 2) != NULL);
    check("a name given twice is INVALID", ant_manifest_publish("b", b, 2, shape_b) == ANT_DRV_INVALID);
    check("a 32-character name is INVALID",
          ant_manifest_publish("abcdefghijklmnopqrstuvwxyz012345", b, 2, shape_b) == ANT_DRV_INVALID);
    check("an empty name is INVALID", ant_manifest_publish("", b, 2, shape_b) == ANT_DRV_INVALID);
    check("0 dimensions are INVALID", ant_manifest_publish("c", b, 0, shape_b) == ANT_DRV_INVALID);
    check("5 dimensions are INVALID", ant_manifest_publish("c", b, 5, shape_b) == ANT_DRV_INVALID);
    const uint32_t zero[2] = {3, 0};
    check("a zero dimension is INVALID", ant_manifest_publish("c", b, 2, zero) == ANT_DRV_INVALID);
    check("the refusal is ant_last_error", ant_last_error() == ANT_DRV_INVALID);
    /* Fill the table: every further entry is NO_MEMORY. */
    char name[8] = "f00";
    const uint32_t one = 1;
    int filled = 1;
    for (uint32_t i = ant_manifest_get()->count; i < ANT_MANIFEST_MAX_TENSORS; i++) {
        name[1] = (char)('0' + i / 10u);
        name[2] = (char)('0' + i % 10u);
        filled = filled && ant_manifest_publish(name, b, 1, &one) == ANT_OK;
    }
    check("entries up to the last one", filled && ant_manifest_get()->count == ANT_MANIFEST_MAX_TENSORS);
    check("a full table is NO_MEMORY", ant_manifest_publish("g", b, 1, &one) == ANT_DRV_NO_MEMORY);
    printf(check_failed ? "manifest_helpers: FAILED at check %d\n" : "manifest_helpers: all checks passed\n", check_failed);
    return check_failed;
}
