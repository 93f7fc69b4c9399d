/* The firmware HAL: UART, CLINT timer, interrupts and traps. Functions that can fail return
 * a hal_status_t the caller must look at. No dynamic allocation. */
#ifndef ANT_HAL_H
#define ANT_HAL_H

#include <stdint.h>

#include "mmio.h"
#include "platform.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    HAL_OK = 0,
    HAL_ERR_INVALID = -1, /* an argument is out of range */
    HAL_ERR_TIMEOUT = -2  /* the condition did not happen in time */
} hal_status_t;

#define HAL_MUST_CHECK __attribute__((warn_unused_result))

/* ---- UART (16550 subset) ---- */
void hal_uart_init(void);
void hal_uart_putc(char c);
void hal_uart_puts(const char *s);

/* ---- CLINT ---- */
uint64_t hal_timer_now(void);                 /* mtime */
void hal_timer_set_compare(uint64_t when);    /* mtimecmp, written glitch-free */
void hal_timer_disarm(void);                  /* mtimecmp = max: no timer interrupt */
void hal_software_irq(int raise);             /* msip of hart 0 */

/* ---- Traps and interrupts ---- */
/* Saved by the trap vector (crt/trap.S): x1..x31 in register order (sp as it was before the
 * trap) and the trap CSRs. A handler may change mepc (e.g. mepc += 4 after an ecall) and any
 * register but sp; the vector restores them. The whole context is kept so that a handler,
 * a debugger and the platform's trap dump see every register of the interrupted code. */
typedef struct {
    uint32_t ra, sp, gp, tp, t0, t1, t2, s0, s1, a0, a1, a2, a3, a4, a5, a6, a7;
    uint32_t s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, t3, t4, t5, t6;
    uint32_t mepc, mcause, mtval;
} hal_trap_frame_t;

typedef void (*hal_trap_handler_t)(hal_trap_frame_t *frame);

#define HAL_IRQ_SOFTWARE 3u
#define HAL_IRQ_TIMER 7u
#define HAL_IRQ_EXTERNAL 11u
#define HAL_MCAUSE_INTERRUPT 0x80000000u

/* Exit code of the default handler for an exception nobody handles. */
#define HAL_EXIT_UNHANDLED_TRAP 60

/* Handler for synchronous exceptions (mcause without the interrupt bit); NULL restores the
 * default, which prints the trap and exits with HAL_EXIT_UNHANDLED_TRAP after pointing
 * hal_unhandled_trap_frame at the frame (ant-vp then prints the trap dump from it). */
void hal_set_exception_handler(hal_trap_handler_t handler);
/* Handler for interrupt line irq (HAL_IRQ_*); HAL_ERR_INVALID for another number. */
HAL_MUST_CHECK hal_status_t hal_set_interrupt_handler(unsigned irq, hal_trap_handler_t handler);
/* Sets/clears the line's bit in mie; HAL_ERR_INVALID for another number. */
HAL_MUST_CHECK hal_status_t hal_irq_enable(unsigned irq);
HAL_MUST_CHECK hal_status_t hal_irq_disable(unsigned irq);
void hal_interrupts_on(void);   /* mstatus.MIE = 1 */
void hal_interrupts_off(void);  /* mstatus.MIE = 0 */
void hal_wait_for_interrupt(void);

/* The frame of the trap the default handler gave up on; NULL until then. ant-vp reads it
 * (by this symbol's name) when the firmware exits with HAL_EXIT_UNHANDLED_TRAP. */
extern hal_trap_frame_t *volatile hal_unhandled_trap_frame;

/* Called by the trap vector. */
void hal_trap_dispatch(hal_trap_frame_t *frame);

#ifdef __cplusplus
}
#endif

#endif
