/* Start-up: global pointer, stack, trap vector, .bss cleared (the platform's loader leaves
 * fresh DRAM zero, but real hardware would not), thread pointer for picolibc's errno, then
 * main(); its return value goes to exit(), which reports it through tohost. */
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la sp, __stack_top
    la t0, hal_trap_entry
    csrw mtvec, t0
    csrw mie, zero
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sw zero, 0(t0)
    addi t0, t0, 4
    j 1b
2:  la tp, __tls_base
    li a0, 0
    li a1, 0
    call main
    call exit
3:  j 3b
