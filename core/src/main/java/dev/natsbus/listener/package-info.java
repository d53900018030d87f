/**
 * The listener side, top-down: the annotation post-processor finds {@code @BusListener}
 * methods, each becomes an endpoint, the registry holds them by id, the container factory
 * makes a container for each, the container subscribes and hands messages to the adapter.
 */
@NullMarked
package dev.natsbus.listener;

import org.jspecify.annotations.NullMarked;
