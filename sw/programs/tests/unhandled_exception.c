/* Raises an illegal-instruction exception with known values in two callee-saved registers
 * and no exception handler installed: the HAL's default handler exits with
 * HAL_EXIT_UNHANDLED_TRAP and ant-vp prints the trap dump from the saved frame
 * (tests/platform/trap_dump_test.py checks the registers, mcause, mtval and mepc's line). */
#include "hal.h"

__attribute__((noinline)) static void write_to_a_read_only_csr(void)
{
    __asm__ volatile("li s2, 0x5a5a0002\n li s11, 0x5a5a0011\n .4byte 0xc0001073" ::: "s2", "s11"); /* faults */
}

int main(void)
{
    write_to_a_read_only_csr();
    return 1;
}
