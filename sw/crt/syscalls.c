/* The C library's hooks: stdio through the UART, exit through HTIF tohost. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "hal.h"

/* HTIF: the platform (and spike) end the run when tohost becomes (code << 1) | 1. */
volatile uint64_t tohost __attribute__((section(".tohost"), aligned(64)));
volatile uint64_t fromhost __attribute__((section(".tohost"), aligned(8)));

static int uart_put(char c, FILE *f)
{
    (void)f;
    hal_uart_putc(c);
    return (unsigned char)c;
}

static FILE uart_stream = FDEV_SETUP_STREAM(uart_put, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdin = &uart_stream;
FILE *const stdout = &uart_stream;
FILE *const stderr = &uart_stream;

void _exit(int code)
{
    tohost = ((uint64_t)(uint32_t)code << 1) | 1u;
    for (;;)
        __asm__ volatile("wfi");
}
