package dev.natsbus.autoconfigure.web;

import java.time.Duration;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusConversionException;
import dev.natsbus.BusException;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.BusPayloadTooLargeException;
import dev.natsbus.BusPermissionException;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.ProblemDetail;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the problem details of bus failures are configured, and the status and detail of
 * each failure (over HTTP in {@link BusExceptionHandlerHttpTests}).
 */
class NatsBusWebAutoConfigurationTests {

	private static final AutoConfigurations configuration = AutoConfigurations.of(NatsBusWebAutoConfiguration.class);

	@Test
	void configuredInServletAndReactiveApplications() {
		new WebApplicationContextRunner().withConfiguration(configuration)
			.run(context -> assertThat(context).hasSingleBean(BusExceptionHandler.class));
		new ReactiveWebApplicationContextRunner().withConfiguration(configuration)
			.run(context -> assertThat(context).hasSingleBean(BusExceptionHandler.class));
	}

	@Test
	void notConfiguredOutsideWebApplications() {
		new ApplicationContextRunner().withConfiguration(configuration)
			.run(context -> assertThat(context).doesNotHaveBean(BusExceptionHandler.class));
	}

	@Test
	void notConfiguredWithoutSpringWeb() {
		new WebApplicationContextRunner().withConfiguration(configuration)
			.withClassLoader(new FilteredClassLoader(ProblemDetail.class))
			.run(context -> assertThat(context).doesNotHaveBean(BusExceptionHandler.class));
	}

	@Test
	void propertySwitchesItOff() {
		new WebApplicationContextRunner().withConfiguration(configuration)
			.withPropertyValues("natsbus.web.problem-details.enabled=false")
			.run(context -> assertThat(context).doesNotHaveBean(BusExceptionHandler.class));
	}

	@Test
	void backsOffForTheApplicationsOwnHandler() {
		BusExceptionHandler own = new BusExceptionHandler();
		new WebApplicationContextRunner().withConfiguration(configuration)
			.withBean(BusExceptionHandler.class, () -> own)
			.run(context -> assertThat(context).getBean(BusExceptionHandler.class).isSameAs(own));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			404 | 404 | No quote
			400 | 400 | No quote
			418 | 418 | No quote
			499 | 499 | No quote
			500 | 502 | The service behind this request failed.
			503 | 502 | No quote
			599 | 502 | No quote
			0   | 502 | No quote
			302 | 502 | No quote
			""")
	void remoteErrorsKeepTheirClientCodesAndOnlyDeliberateTexts(int code, int status, String detail) {
		ProblemDetail problem = BusProblemDetails.of(new BusRemoteException("quotes.get", code, "No quote"));
		assertThat(problem.getStatus()).isEqualTo(status);
		assertThat(problem.getDetail()).isEqualTo(detail);
	}

	@Test
	void localFailuresSayWhatFailedWithoutInternals() {
		assertProblem(new BusTimeoutException("quotes.get", Duration.ofSeconds(2)), 504);
		assertProblem(new BusNoRespondersException("quotes.get"), 503);
		assertProblem(new BusConnectionException("Not connected to nats://10.0.0.1:4222"), 503);
		assertProblem(new BusConversionException("Cannot read quotes.Quote", null), 502);
		assertProblem(new BusPayloadTooLargeException("quotes.get", 2_000_000, 1_048_576), 500);
		assertProblem(new BusPermissionException("quotes.get", "Permissions Violation for Publish"), 500);
		assertProblem(new BusException("Interrupted while waiting for quotes.get"), 500);
	}

	private static void assertProblem(BusException ex, int status) {
		ProblemDetail problem = BusProblemDetails.of(ex);
		assertThat(problem.getStatus()).isEqualTo(status);
		assertThat(problem.getDetail()).isNotBlank().doesNotContain("quotes").doesNotContain("10.0.0.1");
	}

}
