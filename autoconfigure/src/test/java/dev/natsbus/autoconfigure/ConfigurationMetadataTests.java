package dev.natsbus.autoconfigure;

import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metadata that IDEs complete {@code natsbus.*} from, generated at build time by
 * spring-boot-configuration-processor from the Javadoc of {@link NatsBusProperties}.
 */
class ConfigurationMetadataTests {

	private static final Map<String, JsonNode> properties = new LinkedHashMap<>();

	@BeforeAll
	static void loadNatsBusMetadata() throws Exception {
		JsonMapper mapper = JsonMapper.builder().build();
		for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				for (JsonNode property : mapper.readTree(in).path("properties")) {
					String name = property.path("name").asString();
					if (name.startsWith("natsbus.")) {
						assertThat(properties.put(name, property)).as("natsbus property %s defined twice", name)
							.isNull();
					}
				}
			}
		}
		assertThat(properties).as("natsbus properties in META-INF/spring-configuration-metadata.json").isNotEmpty();
	}

	@Test
	void documentsTheMainProperties() {
		assertThat(properties).containsKeys("natsbus.servers", "natsbus.connection-name", "natsbus.pool.size",
				"natsbus.request.timeout", "natsbus.listener.concurrency", "natsbus.listener.queue", "natsbus.username",
				"natsbus.password", "natsbus.token", "natsbus.background-connect", "natsbus.shutdown.drain-timeout");
	}

	@Test
	void everyPropertyHasADescription() {
		assertThat(properties).allSatisfy(
				(name, property) -> assertThat(property.path("description").asString()).as("description of %s", name)
					.isNotBlank());
	}

	@Test
	void defaultsAreDocumented() {
		assertThat(properties.get("natsbus.pool.size").path("defaultValue").asInt()).isEqualTo(1);
		assertThat(properties.get("natsbus.request.timeout").path("defaultValue").asString()).isEqualTo("2s");
		assertThat(properties.get("natsbus.listener.queue").path("defaultValue").asString()).isEqualTo("q");
		assertThat(properties.get("natsbus.shutdown.drain-timeout").path("defaultValue").asString()).isEqualTo("10s");
	}

	/**
	 * The defaults are defined once, in code (the library's and jnats' constants); the
	 * metadata that shows them must say what is in effect.
	 */
	@Test
	void documentedDefaultsAreTheDefaultsInEffect() {
		NatsBusProperties defaults = new NatsBusProperties();
		BeanWrapper defaultValues = new BeanWrapperImpl(defaults);
		properties.forEach((name, property) -> {
			JsonNode documented = property.path("defaultValue");
			if (documented.isMissingNode()
					|| !property.path("sourceType").asString().startsWith(NatsBusProperties.class.getName())) {
				return;
			}
			Map<String, Object> source = new LinkedHashMap<>();
			if (documented.isArray()) {
				for (int i = 0; i < documented.size(); i++) {
					source.put(name + "[" + i + "]", documented.get(i).asString());
				}
			}
			else {
				source.put(name, documented.asString());
			}
			NatsBusProperties bound = new Binder(new MapConfigurationPropertySource(source)).bindOrCreate("natsbus",
					NatsBusProperties.class);
			String path = propertyPath(name);
			assertThat(new BeanWrapperImpl(bound).getPropertyValue(path)).as("default of %s", name)
				.isEqualTo(defaultValues.getPropertyValue(path));
		});
	}

	private static String propertyPath(String name) {
		StringBuilder path = new StringBuilder();
		boolean upper = false;
		for (char c : name.substring("natsbus.".length()).toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				path.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return path.toString();
	}

}
