package dev.natsbus.autoconfigure;

import dev.natsbus.BusTemplate;

/**
 * Adjusts the auto-configured {@link BusTemplate} after nats-bus has applied its properties,
 * for settings that have no property, such as
 * {@link BusTemplate#setCallbackExecutor(java.util.concurrent.Executor) the callback executor}.
 * Customizers run in their {@link org.springframework.core.Ordered order}.
 */
@FunctionalInterface
public interface BusTemplateCustomizer {

	void customize(BusTemplate template);

}
