#include "hal.h"

uint64_t hal_timer_now(void)
{
    uint32_t hi, lo;
    do { /* re-read if the low word carried between the two reads */
        hi = mmio_read32(HAL_CLINT_MTIME + 4u);
        lo = mmio_read32(HAL_CLINT_MTIME);
    } while (hi != mmio_read32(HAL_CLINT_MTIME + 4u));
    return ((uint64_t)hi << 32) | lo;
}

void hal_timer_set_compare(uint64_t when)
{
    /* No spurious interrupt while the two halves are written (privileged spec 3.2.1). */
    mmio_write32(HAL_CLINT_MTIMECMP + 4u, 0xFFFFFFFFu);
    mmio_write32(HAL_CLINT_MTIMECMP, (uint32_t)when);
    mmio_write32(HAL_CLINT_MTIMECMP + 4u, (uint32_t)(when >> 32));
}

void hal_timer_disarm(void)
{
    mmio_write32(HAL_CLINT_MTIMECMP + 4u, 0xFFFFFFFFu);
    mmio_write32(HAL_CLINT_MTIMECMP, 0xFFFFFFFFu);
}

void hal_software_irq(int raise) { mmio_write32(HAL_CLINT_MSIP, raise ? 1u : 0u); }
