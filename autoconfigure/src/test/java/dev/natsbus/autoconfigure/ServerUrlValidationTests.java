package dev.natsbus.autoconfigure;

import dev.natsbus.autoconfigure.diagnostics.NatsBusConfigurationException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code natsbus.servers} is checked when it binds, so that a typo fails start-up with a
 * message naming the entry, before anything connects anywhere.
 */
class ServerUrlValidationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class));

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
					nats//localhost:4222              | natsbus.servers[0] 'nats//localhost:4222' is not a NATS server URL: the scheme must be followed by '://'
					nats:/localhost:4222              | natsbus.servers[0] 'nats:/localhost:4222' is not a NATS server URL: the scheme must be followed by '://'
					nats:localhost:4222               | the scheme must be followed by '://'
					http://localhost:4222             | unknown scheme 'http'; NATS servers are reached with nats://, tls://, ws:// or wss://
					nats://                           | 'nats://' is not a NATS server URL: it has no host
					nats://:4222                      | it has no host
					nats://localhost:99999            | the port '99999' is not a number from 1 to 65535
					nats://localhost:0                | the port '0' is not a number from 1 to 65535
					nats://localhost:                 | the port '' is not a number from 1 to 65535
					nats://localhost:42x2             | the port '42x2' is not a number from 1 to 65535
					localhost:http                    | the port 'http' is not a number from 1 to 65535
					nats://local host:4222            | the host 'local host' is not a host name or an IP address
					nats://localhost:4222/orders      | it has a path ('/orders'), which only ws:// and wss:// URLs may have
					nats://::1:4222                   | write an IPv6 address in brackets
					""")
	void malformedUrlFailsWhenThePropertiesBind(String url, String message) {
		this.runner.withPropertyValues("natsbus.servers=" + url).run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(NatsBusConfigurationException.class)
				.hasMessageContaining(message);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "nats//app:s3cret-pw@localhost:4222", "nats://app:s3cret-pw@localhost:port",
			"http://app:s3cret-pw@localhost:4222", "app:s3cret-pw@localhost:port", "nats://app:s3cret/pw@:4222" })
	void messageNeverShowsThePasswordOfTheEntry(String url) {
		this.runner.withPropertyValues("natsbus.servers=" + url).run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(NatsBusConfigurationException.class)
				.hasMessageContaining("***@");
			StringWriter printed = new StringWriter();
			context.getStartupFailure().printStackTrace(new PrintWriter(printed));
			assertThat(printed.toString()).doesNotContain("s3cret").doesNotContain("app:");
		});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			nats://127.0.0.1:4222,nats//127.0.0.1:4223 | natsbus.servers[1] 'nats//127.0.0.1:4223'
			nats://127.0.0.1:4222, http://x:4222       | natsbus.servers[1] 'http://x:4222'
			""")
	void offendingEntryIsNamedByItsIndex(String urls, String message) {
		this.runner.withPropertyValues("natsbus.servers=" + urls)
			.run(context -> assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(message));
	}

	@ParameterizedTest
	@ValueSource(strings = { "nats://localhost:4222", "NATS://LOCALHOST:4222", "tls://nats.example.com",
			"opentls://nats.example.com:4443", "ws://localhost:8080/nats", "wss://nats.example.com/ws",
			"nats://[::1]:4222", "nats://nats_1:4222", "localhost:4222", "nats.example.com", "nats://localhost:4222/",
			"nats://app:pa/ss@word@localhost:4222", " nats://localhost:4222 " })
	void wellFormedUrlsBind(String url) {
		NatsBusProperties properties = new NatsBusProperties();
		properties.setServers(List.of(url));
		assertThat(properties.getServers()).containsExactly(url);
	}

	@ParameterizedTest
	@ValueSource(strings = { "nats//localhost:4222", "nats://localhost:99999" })
	void connectionDetailsBeanIsCheckedToo(String url) {
		this.runner.withBean(NatsBusConnectionDetails.class, () -> () -> List.of("nats://127.0.0.1:1", url))
			.run(context -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(NatsBusConfigurationException.class)
				.hasMessageContaining("entry 1 of the servers of the NatsBusConnectionDetails bean '" + url + "'"));
	}

}
