/**
 * NATS micro service discovery, configured from natsbus.service.*.
 */
@NullMarked
package dev.natsbus.autoconfigure.micro;

import org.jspecify.annotations.NullMarked;
