package dev.natsbus.autoconfigure.security;

import dev.natsbus.protocol.PermissionViolation;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SanitizableData;

import static org.assertj.core.api.Assertions.assertThat;

/** The parsing and masking helpers, without a server. */
class SecuritySupportTests {

	private final NatsBusSanitizingFunction sanitizer = new NatsBusSanitizingFunction();

	@Test
	void serverUrlsLoseTheirUserInfo() {
		assertThat(ServerUrls.redact("nats://bob:s3cret@host:4222")).isEqualTo("nats://host:4222");
		assertThat(ServerUrls.redact("tls://t0ken@host:4222/path")).isEqualTo("tls://host:4222/path");
		assertThat(ServerUrls.redact("host:4222")).isEqualTo("host:4222");
		assertThat(ServerUrls.redact("nats://b%40b:p@ss@host")).isEqualTo("nats://host");
		assertThat(ServerUrls.userInfo("nats://bob:s3cret@host:4222")).isEqualTo("bob:s3cret");
		assertThat(ServerUrls.userInfo("nats://b%40b:p@host")).isEqualTo("b@b:p");
		assertThat(ServerUrls.userInfo("nats://host:4222")).isNull();
		// Base64 passwords hold '/', which must not end the user info early and leak the
		// rest.
		assertThat(ServerUrls.redact("nats://alice:s3cr/et+x==@host:4222")).isEqualTo("nats://host:4222");
		assertThat(ServerUrls.userInfo("nats://alice:s3cr/et+x==@host:4222")).isEqualTo("alice:s3cr/et+x==");
		assertThat(ServerUrls.isTls(" TLS://host:4222")).isTrue();
	}

	@Test
	void secretsAreMaskedUnderAnyRelaxedKey() {
		for (String key : List.of("natsbus.password", "natsbus.token", "natsbus.nkey-seed", "natsbus.nkeySeed",
				"NATSBUS_NKEYSEED", "NATSBUS_PASSWORD")) {
			assertThat(this.sanitizer.apply(data(key, "s3cret")).getValue()).as(key).isEqualTo("******");
		}
		assertThat(this.sanitizer.apply(data("natsbus.username", "alice")).getValue()).isEqualTo("alice");
		assertThat(this.sanitizer.apply(data("natsbus.credentials", "file:/creds")).getValue())
			.isEqualTo("file:/creds");
		assertThat(this.sanitizer.apply(data("natsbus.servers[0]", "nats://bob:s3cret@h:1")).getValue())
			.isEqualTo("nats://h:1");
		assertThat(this.sanitizer.apply(data("natsbus.servers", "nats://a:b@h:1,nats://c:d@i:2")).getValue())
			.isEqualTo("nats://h:1,nats://i:2");
		assertThat(this.sanitizer.apply(data("natsbus.servers", List.of("nats://a:b@h:1"))).getValue())
			.isEqualTo(List.of("nats://h:1"));
	}

	@Test
	void permissionViolationsAreParsed() {
		assertThat(PermissionViolation.parse("Permissions Violation for Publish to \"orders.create\""))
			.hasValueSatisfying(violation -> {
				assertThat(violation.operation()).isEqualTo(PermissionViolation.Operation.PUBLISH);
				assertThat(violation.subject()).isEqualTo("orders.create");
				assertThat(violation.queue()).isNull();
				assertThat(violation.describe()).isEqualTo("permission denied to publish to 'orders.create'");
			});
		assertThat(PermissionViolation.parse("Permissions Violation for Subscription to \"a.>\" using queue \"q\""))
			.hasValueSatisfying(violation -> {
				assertThat(violation.operation()).isEqualTo(PermissionViolation.Operation.SUBSCRIBE);
				assertThat(violation.subject()).isEqualTo("a.>");
				assertThat(violation.queue()).isEqualTo("q");
			});
		assertThat(PermissionViolation.parse("Authorization Violation")).isEmpty();
		assertThat(PermissionViolation.parse(null)).isEmpty();
	}

	private static SanitizableData data(String key, Object value) {
		return new SanitizableData(null, key, value);
	}

}
