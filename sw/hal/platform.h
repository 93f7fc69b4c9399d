/* The platform's memory map (docs/platform.md). */
#ifndef ANT_HAL_PLATFORM_H
#define ANT_HAL_PLATFORM_H

#define HAL_CLINT_BASE 0x02000000u
#define HAL_CLINT_MSIP (HAL_CLINT_BASE + 0x0u)
#define HAL_CLINT_MTIMECMP (HAL_CLINT_BASE + 0x4000u)
#define HAL_CLINT_MTIME (HAL_CLINT_BASE + 0xBFF8u)
#define HAL_UART_BASE 0x10000000u
#define HAL_ACCEL_BASE 0x40000000u
#define HAL_DRAM_BASE 0x80000000u

/* mtime frequency with the default configuration (clint.timebase_mhz = 10). */
#define HAL_MTIME_HZ 10000000u

#endif
