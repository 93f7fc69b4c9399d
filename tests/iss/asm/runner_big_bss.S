/* A 128 MiB .bss: larger than iss-run's default 64 MiB DRAM. */
#include "test_macros.h"
TEST_MAIN
    PASS
    .bss
    .space 128 * 1024 * 1024
