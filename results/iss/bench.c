/*
 * bench.c - compute-bound integer + load/store kernel for measuring ISS speed (MIPS).
 * Built twice by bench.sh: for RV32 (run under iss-run) and natively (-DHOST) so the
 * checksum the simulated program prints can be compared with the real one.
 */
#include <stdint.h>

#ifndef ROUNDS
#define ROUNDS 5000
#endif
#define N 4096u

static uint32_t buf_a[N], buf_b[N];

static uint32_t kernel(unsigned rounds)
{
    uint32_t *a = buf_a, *b = buf_b, seed = 1, acc = 0;
    for (unsigned i = 0; i < N; i++)
        a[i] = seed = seed * 1664525u + 1013904223u;
    for (unsigned r = 0; r < rounds; r++) {
        for (unsigned i = 0; i < N; i++) {
            uint32_t x = a[i] ^ (acc >> 3);
            x = (x << 5) + (x >> 2) + r;
            acc += x * 3u;
            b[i] = x;
            if (x & 1u)
                acc ^= a[(i * 7u) & (N - 1u)];
        }
        uint32_t *t = a;
        a = b;
        b = t;
    }
    return acc;
}

#ifdef HOST
#include <stdio.h>
int main(void)
{
    printf("%08x\n", (unsigned)kernel(ROUNDS));
    return 0;
}
#else
#define UART_THR ((volatile uint8_t *)0x10000000u)
static void put_hex(uint32_t v)
{
    for (int s = 28; s >= 0; s -= 4)
        *UART_THR = (uint8_t)"0123456789abcdef"[(v >> s) & 15u];
    *UART_THR = '\n';
}
int main(void)
{
    put_hex(kernel(ROUNDS));
    return 0;
}
#endif
