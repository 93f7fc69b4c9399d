/* Points the trap vector at an illegal instruction word and then traps: every step from
 * then on is a trap and nothing retires. The platform must still end the run, by the trap
 * loop it detects (exit 73) or by whichever limit comes first. */
#include "hal.h"

static const uint32_t illegal_word = 0; /* the all-zero word is a defined illegal instruction */

int main(void)
{
    __asm__ volatile("csrw mtvec, %0" : : "r"(&illegal_word));
    __asm__ volatile(".word 0");
    return 1;
}
