/**
 * Spring Boot auto-configuration of nats-bus: properties, connection details, the
 * connection pool, template, listeners and their settings.
 */
@NullMarked
package dev.natsbus.autoconfigure;

import org.jspecify.annotations.NullMarked;
