package dev.natsbus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an interface as a bus client: each of its abstract methods is one call over
 * the bus, declared with {@link BusRequest}, {@link BusSend} or {@link BusRequestMany},
 * and a proxy makes the call ({@code BusClientProxyFactory.createClient}, or a bean with
 * Spring Boot). {@code default} methods run as written.
 * <p>
 * The same interface is the contract of the service side: a {@link BusService} bean that
 * implements it serves each of its methods as a listener, so that caller and callee can
 * share it (for example in a small contract jar).
 * <p>
 * An invalid declaration (a method without an annotation, no subject, two payloads, a
 * {@code @BusSend} that is not {@code void}, an unsupported return type, an unknown
 * subject variable...) fails when the client is created (with Spring Boot, at start-up),
 * naming the interface and the method.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BusClient {

	/**
	 * The timeout of the requests of this client that do not name one ({@code 500ms},
	 * {@code 2s}, an ISO-8601 duration or a {@code ${...}} placeholder), and the total
	 * time of its request-many calls. Empty means the template's default timeout
	 * ({@code natsbus.request.timeout} with Spring Boot).
	 */
	String timeout() default "";

}
