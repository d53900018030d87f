package dev.natsbus.autoconfigure;

import dev.natsbus.template.BusTemplate;

/**
 * Adjusts the auto-configured {@link BusTemplate} after nats-bus has applied its
 * properties, for settings that have no property, such as
 * {@link BusTemplate#setCallbackExecutor(java.util.concurrent.Executor) the callback
 * executor}. Customizers run in their {@link org.springframework.core.Ordered order}.
 * <p>
 * Observation is not set here: the observation auto-configuration gives every template
 * the application's {@code ObservationRegistry} and convention beans afterwards. Turn it
 * off with {@code natsbus.observation.enabled=false}, and change names and tags with
 * convention beans.
 */
@FunctionalInterface
public interface BusTemplateCustomizer {

	void customize(BusTemplate template);

}
