/* bench: a compute-bound integer + load/store loop for the ISS speed figure (MIPS) on the
 * full platform (results/platform). The same kernel as results/iss/bench.c: loads, shifts,
 * adds, a multiply, a data-dependent branch and an indexed load, and a store per element.
 * Prints the checksum so a wrong simulator cannot look fast. */
#include <stdint.h>
#include <stdio.h>

#include "hal.h"

#define N 4096
#ifndef ROUNDS
#define ROUNDS 5000
#endif

static uint32_t a[N], b[N];

int main(void)
{
    hal_uart_init();
    uint32_t seed = 12345u;
    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        a[i] = seed;
        b[i] = (uint32_t)i;
    }
    uint32_t sum = 0;
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < N; i++) {
            uint32_t x = a[i];
            x ^= x << 13;
            x ^= x >> 17;
            x += (uint32_t)r * 2654435761u;
            if (x & 1u)
                sum += b[(x >> 4) & (N - 1)];
            else
                sum ^= x;
            b[i] = x + sum;
        }
    }
    printf("checksum %08lx\n", (unsigned long)sum);
    return 0;
}
