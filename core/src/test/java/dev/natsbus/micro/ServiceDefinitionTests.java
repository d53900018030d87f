package dev.natsbus.micro;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Names and versions as the NATS micro protocol allows them. */
class ServiceDefinitionTests {

	@ParameterizedTest
	@ValueSource(strings = { "quotes", "quote-service", "quote_service", "Q1" })
	void acceptsProtocolNames(String name) {
		assertThat(new ServiceDefinition(name, "1.0.0", null, null).name()).isEqualTo(name);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "quote.service", "quote service", "quotes>", "quotes*", "café" })
	void rejectsOtherNamesWithAClearMessage(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> new ServiceDefinition(name, "1.0.0", "", Map.of()))
			.withMessageContaining("name '" + name + "' is invalid")
			.withMessageContaining("letters, digits, '-' and '_'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "0.0.0", "1.2.3", "1.2.3-SNAPSHOT", "2.0.0-rc.1+build.5", "10.20.30" })
	void acceptsSemanticVersions(String version) {
		assertThat(new ServiceDefinition("quotes", version, "", Map.of()).version()).isEqualTo(version);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "1", "1.0", "1.0-SNAPSHOT", "01.2.3", "v1.2.3", "1.2.3.4" })
	void rejectsOtherVersionsWithAClearMessage(String version) {
		assertThatIllegalArgumentException().isThrownBy(() -> new ServiceDefinition("quotes", version, "", Map.of()))
			.withMessageContaining("'quotes' has version '" + version + "'")
			.withMessageContaining("not a semantic version");
	}

	@Test
	void nullVersionIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ServiceDefinition("quotes", null, "", Map.of()));
	}

	@Test
	void missingDescriptionAndMetadataBecomeEmpty() {
		ServiceDefinition definition = new ServiceDefinition("quotes", "1.0.0", null, null);
		assertThat(definition.description()).isEmpty();
		assertThat(definition.metadata()).isEmpty();
	}

}
