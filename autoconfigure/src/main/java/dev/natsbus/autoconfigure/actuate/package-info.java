/**
 * The {@code natsbus} Actuator endpoint: the listeners and connections of the bus, and
 * pausing and resuming a listener by id.
 */
@NullMarked
package dev.natsbus.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
