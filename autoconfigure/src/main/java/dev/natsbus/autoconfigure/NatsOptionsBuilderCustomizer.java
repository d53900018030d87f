package dev.natsbus.autoconfigure;

import io.nats.client.Options;

/**
 * Adjusts the jnats {@link Options.Builder} of every pooled connection after nats-bus has
 * applied its properties, for anything the properties do not cover.
 */
@FunctionalInterface
public interface NatsOptionsBuilderCustomizer {

	void customize(Options.Builder builder);

}
