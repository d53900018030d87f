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
 * Reactor is optional: in a class loader that has everything but Reactor, nats-bus's
 * classes load, a client proxy is made and every non-reactive kind of call works, and
 * listeners (streaming ones too) answer.
 */
class WithoutReactorTests {

	@Test
	void clientsWorkWithoutReactorOnTheClassPath() throws Exception {
		try (NatsServer server = NatsServer.builder().start(); URLClassLoader withoutReactor = withoutReactor()) {
			assertThatExceptionOfType(ClassNotFoundException.class)
				.isThrownBy(() -> Class.forName("reactor.core.publisher.Mono", false, withoutReactor));
			Class<?> probe = Class.forName(WithoutReactorProbe.class.getName(), true, withoutReactor);
			assertThat(probe.getClassLoader()).isSameAs(withoutReactor);
			Object result = probe.getMethod("run", String.class).invoke(null, server.url());
			assertThat(result)
				.isEqualTo("pong:ping, future:ping, void, replies:[many:ping], heard:hi, streamed:[a, b]");
		}
	}

	/** The test class path, with every Reactor class refused. */
	private static URLClassLoader withoutReactor() throws MalformedURLException {
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
				if (name.startsWith("reactor.") || name.startsWith("org.reactivestreams.")) {
					throw new ClassNotFoundException(name + " (left out by the test)");
				}
				return super.loadClass(name, resolve);
			}

		};
	}

}
