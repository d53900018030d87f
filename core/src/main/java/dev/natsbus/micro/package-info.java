/**
 * NATS micro service discovery ($SRV.PING, INFO, STATS) for the listeners of an instance.
 */
@NullMarked
package dev.natsbus.micro;

import org.jspecify.annotations.NullMarked;
