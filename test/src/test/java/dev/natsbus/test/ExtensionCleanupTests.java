package dev.natsbus.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs fixture classes through the JUnit launcher to observe what happens after they
 * finish.
 */
@Timeout(60)
class ExtensionCleanupTests {

	private static volatile boolean launching;

	private static volatile NatsServer seen;

	static boolean launching() {
		return launching;
	}

	@Test
	void serverIsStoppedAfterAllEvenWhenTestsFail() {
		TestExecutionSummary summary = run(FailingFixture.class);

		assertThat(summary.getTestsFailedCount()).isEqualTo(1);
		assertThat(seen).isNotNull();
		assertThat(seen.isRunning()).isFalse();
		assertThat(Ports.isListening(seen.port())).isFalse();
		assertThat(NatsTestServers.find(FailingFixture.class)).isEmpty();
	}

	@Test
	void serverStartedBySpringFirstIsStoppedByTheExtension() {
		TestExecutionSummary summary = run(SpringFirstFixture.class);

		assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
		assertThat(seen.isRunning()).isFalse();
		assertThat(NatsTestServers.find(SpringFirstFixture.class)).isEmpty();
	}

	@Test
	void injectingAClusterIntoASingleServerTestExplainsTheMistake() {
		TestExecutionSummary summary = run(WrongParameterFixture.class);

		assertThat(summary.getTestsFailedCount()).isEqualTo(1);
		assertThat(summary.getFailures().get(0).getException()).hasMessageContaining("@NatsServerTest(cluster = 3)");
		assertThat(NatsTestServers.find(WrongParameterFixture.class)).isEmpty();
	}

	private static TestExecutionSummary run(Class<?> fixture) {
		seen = null;
		launching = true;
		try {
			LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
				.selectors(selectClass(fixture))
				.build();
			Launcher launcher = LauncherFactory.create();
			SummaryGeneratingListener listener = new SummaryGeneratingListener();
			launcher.execute(request, listener);
			return listener.getSummary();
		}
		finally {
			launching = false;
		}
	}

	@NatsServerTest
	@EnabledIf("dev.natsbus.test.ExtensionCleanupTests#launching")
	static class FailingFixture {

		@Test
		void fails(NatsServer server) {
			seen = server;
			fail("intentional failure");
		}

	}

	@SpringJUnitConfig(SpringFirstFixture.Config.class)
	@NatsServerTest
	@EnabledIf("dev.natsbus.test.ExtensionCleanupTests#launching")
	static class SpringFirstFixture {

		@Configuration(proxyBeanMethods = false)
		static class Config {

		}

		@Test
		void runs(NatsServer server) {
			seen = server;
		}

	}

	@NatsServerTest
	@EnabledIf("dev.natsbus.test.ExtensionCleanupTests#launching")
	static class WrongParameterFixture {

		@Test
		void wantsCluster(NatsCluster cluster) {
		}

	}

}
