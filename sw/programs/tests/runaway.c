/* Never ends: only --max-instructions or --max-time-ms stops it. */
#include "hal.h"

int main(void)
{
    volatile uint32_t n = 0;
    for (;;)
        n = n + 1u;
}
