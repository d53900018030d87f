package dev.natsbus.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

@Timeout(60)
class NatsServerVersionTests {

	private static volatile boolean launching;

	static boolean launching() {
		return launching;
	}

	@Test
	void parsesWhatServersAndPeopleWrite() {
		assertThat(NatsServerVersion.parse("nats-server: v2.9.10")).hasToString("2.9.10");
		assertThat(NatsServerVersion.parse("v2.15.1")).hasToString("2.15.1");
		assertThat(NatsServerVersion.parse("2.10")).hasToString("2.10.0");
		assertThat(NatsServerVersion.parse("nats-server: v2.11.0-RC.2")).hasToString("2.11.0");
		assertThatIllegalArgumentException().isThrownBy(() -> NatsServerVersion.parse("nats-server: dev"))
			.withMessageContaining("nats-server: dev");
	}

	@Test
	void comparesNumbersNotText() {
		NatsServerVersion old = NatsServerVersion.parse("2.9.10");
		NatsServerVersion current = NatsServerVersion.parse("2.15.1");
		assertThat(old).isLessThan(current);
		assertThat(old.isAtLeast("2.10")).isFalse();
		assertThat(current.isAtLeast("2.10")).isTrue();
		assertThat(current.isAtLeast("2.15.1")).isTrue();
		assertThat(current.isAtLeast("2.15.2")).isFalse();
		assertThat(NatsServerVersion.parse("2.10")).isEqualTo(NatsServerVersion.parse("v2.10.0"))
			.hasSameHashCodeAs(NatsServerVersion.parse("v2.10.0"));
		assertThat(List.of(current.major(), current.minor(), current.patch())).containsExactly(2, 15, 1);
	}

	@Test
	void aServerReportsTheVersionOfTheBinaryItRuns() throws Exception {
		try (NatsServer server = NatsServer.builder().build()) {
			String printed = versionOutput();
			assertThat(server.version()).isEqualTo(NatsServerVersion.parse(printed))
				.isEqualTo(NatsServerVersion.installed());
			assertThat(printed).contains("v" + server.version());
		}
	}

	@Test
	void aTestThatNeedsANewerServerIsTaggedAndSkippedWithTheReason() {
		Map<String, String> skipped = new ConcurrentHashMap<>();
		List<String> ran = new CopyOnWriteArrayList<>();
		List<TestIdentifier> identifiers = new CopyOnWriteArrayList<>();
		launch(new TestExecutionListener() {

			@Override
			public void executionSkipped(TestIdentifier identifier, String reason) {
				skipped.put(identifier.getDisplayName(), reason);
				identifiers.add(identifier);
			}

			@Override
			public void executionStarted(TestIdentifier identifier) {
				if (identifier.isTest()) {
					ran.add(identifier.getDisplayName());
					identifiers.add(identifier);
				}
			}

		});
		assertThat(ran).containsExactlyInAnyOrder("anyServer()", "oldEnough()");
		assertThat(skipped).containsOnlyKeys("tooNew()");
		assertThat(skipped.get("tooNew()")).contains("needs nats-server 99.0.0 or newer")
			.contains("found " + NatsServerVersion.installed())
			.contains(NatsServer.EXECUTABLE_ENV);
		assertThat(identifiers).filteredOn(identifier -> !identifier.getDisplayName().equals("anyServer()"))
			.allSatisfy(identifier -> assertThat(identifier.getTags())
				.anySatisfy(tag -> assertThat(tag.getName()).isEqualTo(RequiresNatsServer.TAG)));
	}

	private static void launch(TestExecutionListener listener) {
		launching = true;
		try {
			LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
				.selectors(selectClass(VersionFixture.class))
				.build();
			Launcher launcher = LauncherFactory.create();
			launcher.execute(request, listener);
		}
		finally {
			launching = false;
		}
	}

	private static String versionOutput() throws IOException, InterruptedException {
		Process process = new ProcessBuilder(ServerExecutable.resolve(null).toString(), "--version")
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor();
		return output;
	}

	@EnabledIf("dev.natsbus.test.NatsServerVersionTests#launching")
	static class VersionFixture {

		@Test
		void anyServer() {
		}

		@Test
		@RequiresNatsServer("2.0")
		void oldEnough() {
		}

		@Test
		@RequiresNatsServer("99.0")
		void tooNew() {
		}

	}

}
