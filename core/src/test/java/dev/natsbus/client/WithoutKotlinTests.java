package dev.natsbus.client;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Kotlin is optional (core names kotlinx-coroutines only for suspend client methods, and
 * Spring's coroutine support only for suspend listeners): in a class loader that has
 * everything but Kotlin, nats-bus's classes load, a client proxy is made, listeners
 * answer, and every kind of call works.
 */
class WithoutKotlinTests {

	@Test
	void clientsWorkWithoutKotlinOnTheClassPath() throws Exception {
		try (NatsServer server = NatsServer.builder().start(); URLClassLoader withoutKotlin = withoutKotlin()) {
			assertThatExceptionOfType(ClassNotFoundException.class)
				.isThrownBy(() -> Class.forName("kotlin.coroutines.Continuation", false, withoutKotlin));
			assertThatExceptionOfType(ClassNotFoundException.class)
				.isThrownBy(() -> Class.forName("kotlinx.coroutines.future.FutureKt", false, withoutKotlin));
			Class<?> probe = Class.forName(WithoutReactorProbe.class.getName(), true, withoutKotlin);
			assertThat(probe.getClassLoader()).isSameAs(withoutKotlin);
			Object result = probe.getMethod("run", String.class).invoke(null, server.url());
			assertThat(result)
				.isEqualTo("pong:ping, future:ping, void, replies:[many:ping], heard:hi, streamed:[a, b]");
		}
	}

	/** The test class path, with every Kotlin class refused. */
	private static URLClassLoader withoutKotlin() throws MalformedURLException {
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		List<URL> urls = new ArrayList<>();
		for (String entry : classPath.split(File.pathSeparator)) {
			if (!entry.isEmpty()) {
				urls.add(new File(entry).toURI().toURL());
			}
		}
		return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader()) {

			@Override
			protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
				if (name.startsWith("kotlin.") || name.startsWith("kotlinx.")) {
					throw new ClassNotFoundException(name + " (left out by the test)");
				}
				return super.loadClass(name, resolve);
			}

		};
	}

}
