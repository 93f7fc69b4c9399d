#include "hal.h"

#define UART_THR (HAL_UART_BASE + 0u)
#define UART_IER (HAL_UART_BASE + 1u)
#define UART_FCR (HAL_UART_BASE + 2u)
#define UART_LCR (HAL_UART_BASE + 3u)
#define UART_LSR (HAL_UART_BASE + 5u)
#define UART_LSR_THRE 0x20u

void hal_uart_init(void)
{
    mmio_write8(UART_IER, 0);    /* no UART interrupts */
    mmio_write8(UART_LCR, 0x03); /* 8N1, DLAB off */
    mmio_write8(UART_FCR, 0x07); /* FIFOs on and cleared */
}

void hal_uart_putc(char c)
{
    while (!(mmio_read8(UART_LSR) & UART_LSR_THRE))
        ;
    mmio_write8(UART_THR, (uint8_t)c);
}

void hal_uart_puts(const char *s)
{
    while (*s)
        hal_uart_putc(*s++);
}
