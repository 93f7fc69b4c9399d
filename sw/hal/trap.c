#include <stdio.h>
#include <stdlib.h>

#include "hal.h"

static hal_trap_handler_t exception_handler;
static hal_trap_handler_t irq_handlers[16];

static int valid_irq(unsigned irq)
{
    return irq == HAL_IRQ_SOFTWARE || irq == HAL_IRQ_TIMER || irq == HAL_IRQ_EXTERNAL;
}

void hal_set_exception_handler(hal_trap_handler_t handler) { exception_handler = handler; }

hal_status_t hal_set_interrupt_handler(unsigned irq, hal_trap_handler_t handler)
{
    if (!valid_irq(irq))
        return HAL_ERR_INVALID;
    irq_handlers[irq] = handler;
    return HAL_OK;
}

hal_status_t hal_irq_enable(unsigned irq)
{
    if (!valid_irq(irq))
        return HAL_ERR_INVALID;
    __asm__ volatile("csrs mie, %0" : : "r"(1u << irq));
    return HAL_OK;
}

hal_status_t hal_irq_disable(unsigned irq)
{
    if (!valid_irq(irq))
        return HAL_ERR_INVALID;
    __asm__ volatile("csrc mie, %0" : : "r"(1u << irq));
    return HAL_OK;
}

void hal_interrupts_on(void) { __asm__ volatile("csrsi mstatus, 8"); }
void hal_interrupts_off(void) { __asm__ volatile("csrci mstatus, 8"); }
void hal_wait_for_interrupt(void) { __asm__ volatile("wfi"); }

hal_trap_frame_t *volatile hal_unhandled_trap_frame;

static void unhandled(hal_trap_frame_t *f)
{
    hal_unhandled_trap_frame = f; /* exit() runs below the frame on the stack: it stays intact */
    printf("unhandled trap: mcause 0x%08lx mepc 0x%08lx mtval 0x%08lx\n", (unsigned long)f->mcause,
           (unsigned long)f->mepc, (unsigned long)f->mtval);
    exit(HAL_EXIT_UNHANDLED_TRAP);
}

void hal_trap_dispatch(hal_trap_frame_t *frame)
{
    if (frame->mcause & HAL_MCAUSE_INTERRUPT) {
        const unsigned irq = frame->mcause & 0xFu;
        if (irq_handlers[irq]) {
            irq_handlers[irq](frame);
            return;
        }
        __asm__ volatile("csrc mie, %0" : : "r"(1u << irq)); /* nobody listens: mask it */
        unhandled(frame);
        return;
    }
    if (exception_handler)
        exception_handler(frame);
    else
        unhandled(frame);
}
