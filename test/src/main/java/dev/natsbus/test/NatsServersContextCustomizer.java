package dev.natsbus.test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

import java.util.Map;
import java.util.Objects;

/**
 * Adds the server URL(s) as a highest-precedence property. Equality includes the URLs
 * because customizers are part of Spring's context cache key: a cached context must never
 * be reused by a test class whose servers run elsewhere, nor point at servers already
 * stopped.
 */
final class NatsServersContextCustomizer implements ContextCustomizer {

	static final String PROPERTY_SOURCE_NAME = "natsbus-test-servers";

	private final String property;

	private final String urls;

	NatsServersContextCustomizer(String property, String urls) {
		this.property = property;
		this.urls = urls;
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of(property, urls)));
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof NatsServersContextCustomizer that && property.equals(that.property)
				&& urls.equals(that.urls);
	}

	@Override
	public int hashCode() {
		return Objects.hash(property, urls);
	}

	@Override
	public String toString() {
		return "NatsServersContextCustomizer[" + property + "=" + urls + "]";
	}

}
