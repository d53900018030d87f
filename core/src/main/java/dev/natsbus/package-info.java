/**
 * The API of nats-bus: {@link dev.natsbus.BusOperations},
 * {@link dev.natsbus.BusListener}, {@link dev.natsbus.BusService} and the exceptions. It
 * imports no implementation package.
 */
@NullMarked
package dev.natsbus;

import org.jspecify.annotations.NullMarked;
