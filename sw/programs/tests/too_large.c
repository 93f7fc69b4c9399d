/* A 1.5 GiB .bss: does not fit in the default 1 GiB DRAM, so loading must fail (exit 68). */
#include "hal.h"

static volatile uint8_t huge[1536u << 20];

int main(void)
{
    huge[0] = 1;
    return huge[0] - 1;
}
