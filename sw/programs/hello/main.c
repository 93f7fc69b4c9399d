/* hello: greets through the UART, then checks the platform from the inside: a timer
 * interrupt via mtimecmp while asleep in wfi, a software interrupt via msip, and an ecall
 * trap. Exits 0 when every self-test passes, otherwise with the number of the first failure. */
#include <stdio.h>
#include <stdlib.h>

#include "hal.h"

static volatile unsigned timer_irqs, software_irqs, ecalls;
static volatile uint32_t ecall_arg;

static void on_timer(hal_trap_frame_t *f)
{
    (void)f;
    hal_timer_disarm(); /* lowers MTIP */
    timer_irqs++;
}

static void on_software(hal_trap_frame_t *f)
{
    (void)f;
    hal_software_irq(0);
    software_irqs++;
}

static void on_exception(hal_trap_frame_t *f)
{
    if (f->mcause != 11u) { /* only ecall from M-mode is expected here */
        printf("unexpected exception: mcause %lu at 0x%08lx\n", (unsigned long)f->mcause, (unsigned long)f->mepc);
        exit(9);
    }
    ecalls++;
    ecall_arg = f->a0;
    f->a0 = f->a0 + 1u; /* the "system call" returns its argument plus one */
    f->mepc += 4u;      /* ecall is never compressed */
}

static int check(int number, const char *what, int ok)
{
    printf("self-test %d %s: %s\n", number, what, ok ? "ok" : "FAILED");
    return ok ? 0 : number;
}

static int test_timer(void)
{
    if (hal_set_interrupt_handler(HAL_IRQ_TIMER, on_timer) != HAL_OK || hal_irq_enable(HAL_IRQ_TIMER) != HAL_OK)
        return 0;
    const uint64_t start = hal_timer_now();
    const uint64_t wake = start + HAL_MTIME_HZ / 10000u; /* 100 us */
    hal_timer_set_compare(wake);
    hal_interrupts_on();
    while (timer_irqs == 0)
        hal_wait_for_interrupt();
    hal_interrupts_off();
    return hal_irq_disable(HAL_IRQ_TIMER) == HAL_OK && timer_irqs == 1 && hal_timer_now() >= wake;
}

static int test_software(void)
{
    if (hal_set_interrupt_handler(HAL_IRQ_SOFTWARE, on_software) != HAL_OK ||
        hal_irq_enable(HAL_IRQ_SOFTWARE) != HAL_OK)
        return 0;
    hal_interrupts_on();
    hal_software_irq(1);
    for (int i = 0; i < 100 && software_irqs == 0; i++)
        ;
    hal_interrupts_off();
    return hal_irq_disable(HAL_IRQ_SOFTWARE) == HAL_OK && software_irqs == 1;
}

static int test_ecall(void)
{
    hal_set_exception_handler(on_exception);
    register uint32_t a0 __asm__("a0") = 41;
    __asm__ volatile("ecall" : "+r"(a0) : : "memory");
    const uint32_t result = a0;
    hal_set_exception_handler(NULL);
    return ecalls == 1 && ecall_arg == 41 && result == 42;
}

static int test_bad_irq_number(void)
{
    return hal_irq_enable(5) == HAL_ERR_INVALID && hal_set_interrupt_handler(12, on_timer) == HAL_ERR_INVALID;
}

int main(void)
{
    hal_uart_init();
    printf("Hello from ANT firmware on RV32IMAC!\n");
    int failed = 0;
    int r;
    if ((r = check(1, "timer interrupt wakes wfi", test_timer())) && !failed)
        failed = r;
    if ((r = check(2, "software interrupt via msip", test_software())) && !failed)
        failed = r;
    if ((r = check(3, "ecall trap returns", test_ecall())) && !failed)
        failed = r;
    if ((r = check(4, "HAL rejects bad interrupt numbers", test_bad_irq_number())) && !failed)
        failed = r;
    printf(failed ? "self-tests FAILED\n" : "all self-tests passed\n");
    return failed;
}
