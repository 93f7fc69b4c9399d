/* Touches unmapped memory (0x5000_0000, between the accelerator and DRAM): the platform
 * answers with an address error, the core takes a load access fault (mcause 5, mtval = the
 * address), and this handler reports it and exits with code 3. */
#include <stdio.h>
#include <stdlib.h>

#include "hal.h"

#define UNMAPPED 0x50000000u

static void on_fault(hal_trap_frame_t *f)
{
    printf("access fault: mcause %lu mtval 0x%08lx\n", (unsigned long)f->mcause, (unsigned long)f->mtval);
    exit(f->mcause == 5u && f->mtval == UNMAPPED ? 3 : 4);
}

int main(void)
{
    hal_uart_init();
    hal_set_exception_handler(on_fault);
    printf("reading 0x%08lx\n", (unsigned long)UNMAPPED);
    (void)mmio_read32(UNMAPPED);
    printf("no fault?\n");
    return 1;
}
