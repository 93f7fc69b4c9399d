/* wfi with every interrupt disabled can never wake up. */
#include "test_macros.h"
TEST_MAIN
    csrw mie, zero
    wfi
    PASS
