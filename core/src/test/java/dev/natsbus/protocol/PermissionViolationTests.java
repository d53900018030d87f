package dev.natsbus.protocol;

import dev.natsbus.protocol.PermissionViolation.Operation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading the server's permission errors, as nats-server words them.
 */
class PermissionViolationTests {

	@Test
	void readsARefusedPublish() {
		String error = "Permissions Violation for Publish to \"orders.create\"";
		assertThat(PermissionViolation.parse(error))
			.contains(new PermissionViolation(Operation.PUBLISH, "orders.create", null, error));
		assertThat(PermissionViolation.parse(error).orElseThrow().describe())
			.isEqualTo("permission denied to publish to 'orders.create'");
	}

	@Test
	void readsARefusedSubscriptionWithItsQueueGroup() {
		String error = "permissions violation for subscription to \"orders.>\" using queue \"workers\"";
		PermissionViolation violation = PermissionViolation.parse(error).orElseThrow();
		assertThat(violation.operation()).isEqualTo(Operation.SUBSCRIBE);
		assertThat(violation.subject()).isEqualTo("orders.>");
		assertThat(violation.queue()).isEqualTo("workers");
		assertThat(violation.error()).isEqualTo(error);
		assertThat(violation.describe())
			.isEqualTo("permission denied to subscribe to 'orders.>' in queue group 'workers'");
	}

	@Test
	void otherErrorsAreNoViolation() {
		assertThat(PermissionViolation.parse(null)).isEmpty();
		assertThat(PermissionViolation.parse("Authorization Violation")).isEmpty();
	}

	@Test
	void deniesPublishOnlyForThatSubject() {
		String error = "Permissions Violation for Publish to \"orders.create\"";
		assertThat(PermissionViolation.deniesPublish(error, "orders.create")).isTrue();
		assertThat(PermissionViolation.deniesPublish(error, "orders.delete")).isFalse();
		assertThat(PermissionViolation.deniesPublish("Permissions Violation for Subscription to \"orders.create\"",
				"orders.create"))
			.isFalse();
		assertThat(PermissionViolation.deniesPublish(null, "orders.create")).isFalse();
	}

}
