/**
 * Observations and meters of the bus for Micrometer.
 */
@NullMarked
package dev.natsbus.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
