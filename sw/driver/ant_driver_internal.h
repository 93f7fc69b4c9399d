/* Shared by the driver's own files, not part of its API. */
#ifndef ANT_DRIVER_INTERNAL_H
#define ANT_DRIVER_INTERNAL_H

#include "ant_driver.h"

/* Remembers s for ant_last_error() when it is not ANT_OK; returns s. */
ant_status ant_driver_record(ant_status s);

#endif /* ANT_DRIVER_INTERNAL_H */
