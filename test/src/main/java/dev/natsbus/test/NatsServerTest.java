package dev.natsbus.test;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated test class against a real nats-server (or cluster) started once
 * before all tests and stopped after them, whatever their outcome. {@link NatsServer} and
 * {@link NatsCluster} can be injected into constructors, lifecycle and test methods.
 *
 * <p>
 * With spring-test on the classpath, the Spring test context additionally gets the
 * property {@link #property()} (default {@code natsbus.servers}) set to the server
 * URL(s).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(NatsServerExtension.class)
public @interface NatsServerTest {

	/** Number of nodes; more than one starts a routed {@link NatsCluster}. */
	int cluster() default 1;

	/** Enable the HTTP monitoring port (always on for clusters). */
	boolean monitoring() default false;

	/** Extra nats-server config text, e.g. {@code authorization { token: "s3cret" }}. */
	String config() default "";

	/** Maximum payload in bytes; 0 keeps the server default. */
	int maxPayload() default 0;

	/** Spring property that receives the comma-separated server URLs. */
	String property() default "natsbus.servers";

}
