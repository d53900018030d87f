package dev.natsbus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * A {@link BusClient} method that publishes without waiting for anyone (fire and forget).
 * It must be {@code void}: no return type makes a send wait, and none makes a request not
 * wait.
 * <p>
 * Parameters: one payload (unannotated or {@code @Payload}), {@code @Header},
 * {@code @Headers Map} and {@code @DestinationVariable}.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BusSend {

	/** Alias for {@link #subject()}. */
	@AliasFor("subject")
	String value() default "";

	/**
	 * The subject; {@code {name}} tokens are filled from {@code @DestinationVariable}
	 * parameters, {@code ${...}} placeholders are resolved once when the client is
	 * created.
	 */
	@AliasFor("value")
	String subject() default "";

	/**
	 * How an implementing {@link BusService} serves it: {@code true} for an event that
	 * every instance receives (a broadcast listener), {@code false} (the default) for
	 * work that one instance of the queue group takes.
	 */
	boolean broadcast() default false;

}
