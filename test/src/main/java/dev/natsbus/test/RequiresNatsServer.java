package dev.natsbus.test;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class or method that needs a newer nats-server than the oldest one the
 * build supports, e.g. {@code @RequiresNatsServer("2.10")} for {@code handshake_first}.
 *
 * <p>
 * Such tests carry the JUnit tag {@value #TAG}, so a build that runs against an old
 * server leaves them out ({@code -DexcludedGroups=requires-nats-server}) and one that
 * runs against a current server includes them. Where they are not left out, they run only
 * when {@link NatsServerVersion#installed() the installed server} is at least the given
 * version, and are otherwise reported as skipped with the versions found and needed.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(RequiresNatsServer.TAG)
@ExtendWith(NatsServerVersionCondition.class)
public @interface RequiresNatsServer {

	/** JUnit tag of every test that needs a newer server. */
	String TAG = "requires-nats-server";

	/** The oldest nats-server version the test works with, e.g. {@code "2.10"}. */
	String value();

}
