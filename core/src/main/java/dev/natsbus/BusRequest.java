package dev.natsbus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * A {@link BusClient} method that sends a request and waits for its reply: the method
 * returns the reply converted to its return type ({@code T}, generic types included), the
 * reply with its headers ({@code Message<T>}), a {@code CompletableFuture} of either, or
 * nothing: a {@code void} (or {@code Void}) method waits for the empty reply. With
 * Reactor on the classpath it may also return {@code Mono<T>}, which sends when
 * subscribed and cancels the request when cancelled.
 * <p>
 * Parameters: one payload (unannotated or {@code @Payload}), {@code @Header} and
 * {@code @Headers Map} for request headers, {@code @DestinationVariable} for each
 * {@code {name}} token of the subject, and a {@link java.time.Duration} as the timeout of
 * this call.
 * <p>
 * Served by a listener in the default queue group.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BusRequest {

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
	 * The timeout ({@code 500ms}, {@code 2s}, an ISO-8601 duration or a placeholder);
	 * empty means the client's, and then the template's default. A {@code Duration}
	 * parameter overrides it per call.
	 */
	String timeout() default "";

}
