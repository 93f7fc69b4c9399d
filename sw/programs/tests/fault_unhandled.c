/* Touches unmapped memory with the trap vector pointing at unmapped memory too: the trap
 * cannot be taken, and the platform must stop with a one-line message (exit 73) rather
 * than spin forever. */
#include "hal.h"

int main(void)
{
    __asm__ volatile("csrw mtvec, %0" : : "r"(0x60000000u));
    (void)mmio_read32(0x50000000u);
    return 1;
}
