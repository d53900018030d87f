package dev.natsbus.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Marks a test class or method that needs Java 21 or newer (virtual threads). Such tests
 * carry the JUnit tag {@value #TAG}; the build leaves them out on older JDKs (a Maven
 * profile activated by the JDK excludes the tag), so they are not run there rather than
 * reported as skipped.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(RequiresJava21.TAG)
public @interface RequiresJava21 {

	/** JUnit tag of every test that needs Java 21+. */
	String TAG = "requires-java-21";

}
