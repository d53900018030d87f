package dev.natsbus.autoconfigure.client.app;

import dev.natsbus.autoconfigure.client.shared.SharedClient;
import dev.natsbus.autoconfigure.client.shared.SharedService;
import dev.natsbus.autoconfigure.client.shared.WithSharedClients;
import dev.natsbus.test.NatsServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.Mockito;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

/**
 * Tests of an application replace its clients with {@code @MockitoBean}: the client of
 * the application's packages, and the primary client beside an implementation.
 */
@SpringBootTest(classes = MockitoBeanClientTests.Application.class)
@NatsServerTest
@Timeout(60)
class MockitoBeanClientTests {

	@MockitoBean
	GreetingClient greetings;

	@MockitoBean
	SharedClient shared;

	@Autowired
	GreetingClient injectedGreetings;

	@Autowired
	SharedClient injectedShared;

	@Autowired
	SharedService service;

	@Test
	void clientsAreReplacedByMocks() {
		given(this.greetings.hello("ada")).willReturn("mocked ada");
		given(this.shared.count("abc")).willReturn(42);
		assertThat(this.injectedGreetings.hello("ada")).isEqualTo("mocked ada");
		assertThat(this.injectedShared).isSameAs(this.shared);
		assertThat(this.injectedShared.count("abc")).isEqualTo(42);
		assertThat(Mockito.mockingDetails(this.service).isMock()).isFalse();
		assertThat(this.service.calls).hasValue(0);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ WithSharedClients.class, SharedService.class })
	static class Application {

	}

}
