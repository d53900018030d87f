/**
 * Where the bus gets its threads, and a log throttle.
 */
@NullMarked
package dev.natsbus.support;

import org.jspecify.annotations.NullMarked;
