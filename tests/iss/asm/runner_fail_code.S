/* Fails check 5 on purpose: iss-run must exit with status 5. */
#include "test_macros.h"
TEST_MAIN
    li a0, 1
    CHECK(5, a0, 2)
    PASS
