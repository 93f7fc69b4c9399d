/* Numbered checks for the self-checking test programs: one line per check, and the number
 * of the first failure as the program's exit code (0 when every check passed). */
#ifndef ANT_TEST_CHECK_H
#define ANT_TEST_CHECK_H

#include <stdio.h>

static int check_failed, check_number;

static inline void check(const char *what, int ok)
{
    check_number++;
    printf("check %2d %s: %s\n", check_number, what, ok ? "ok" : "FAILED");
    if (!ok && !check_failed)
        check_failed = check_number;
}

#endif /* ANT_TEST_CHECK_H */
