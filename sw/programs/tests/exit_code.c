/* Prints a line and exits with 42: the platform's exit status is the firmware's code. */
#include <stdio.h>

#include "hal.h"

int main(void)
{
    hal_uart_init();
    printf("exiting with 42\n");
    return 42;
}
