package dev.natsbus.autoconfigure.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Throw-away TLS key material, generated with the {@code openssl} and {@code keytool}
 * command line tools once per test JVM in a temporary directory that is deleted on exit:
 * nothing secret is committed. EC P-256 keys, because they are generated in milliseconds.
 */
final class TestPki {

	static final String STORE_PASSWORD = "store-pa55";

	private static TestPki instance;

	final Path dir;

	private TestPki(Path dir) {
		this.dir = dir;
	}

	static synchronized TestPki get() {
		if (instance == null) {
			try {
				Path dir = Files.createTempDirectory("natsbus-pki-");
				Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
				TestPki pki = new TestPki(dir);
				pki.generate();
				instance = pki;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return instance;
	}

	private void generate() throws IOException {
		ca("ca");
		ca("other-ca");
		signed("server", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
		signed("wrong-host", "ca", "subjectAltName=DNS:wrong-host.example\nextendedKeyUsage=serverAuth\n");
		signed("client", "ca", "extendedKeyUsage=clientAuth\n");
		run("keytool", "-importcert", "-noprompt", "-alias", "ca", "-file", path("ca.pem"), "-keystore",
				path("truststore.p12"), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
	}

	private void ca(String name) {
		run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
				path(name + "-key.pem"), "-out", path(name + ".pem"), "-days", "2", "-subj", "/CN=natsbus test " + name,
				"-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
	}

	private void signed(String name, String ca, String extensions) throws IOException {
		Files.writeString(this.dir.resolve(name + ".ext"), extensions, StandardCharsets.UTF_8);
		run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
				path(name + "-key.pem"), "-out", path(name + ".csr"), "-subj", "/CN=natsbus test " + name);
		run("openssl", "x509", "-req", "-in", path(name + ".csr"), "-CA", path(ca + ".pem"), "-CAkey",
				path(ca + "-key.pem"), "-CAcreateserial", "-out", path(name + ".pem"), "-days", "2", "-extfile",
				path(name + ".ext"));
	}

	/** Absolute path of a generated file, e.g. {@code ca.pem}, {@code client-key.pem}. */
	String path(String file) {
		return this.dir.resolve(file).toAbsolutePath().toString();
	}

	/** Spring resource location of a generated file. */
	String location(String file) {
		return "file:" + path(file);
	}

	/**
	 * A nats-server {@code tls} block with the given server certificate, optionally
	 * requiring client certificates.
	 */
	String serverTls(String cert, boolean verifyClients) {
		return "tls {\n  cert_file: \"" + path(cert + ".pem") + "\"\n  key_file: \"" + path(cert + "-key.pem")
				+ "\"\n  ca_file: \"" + path("ca.pem") + "\"\n  verify: " + verifyClients + "\n  timeout: 2\n}\n";
	}

	/**
	 * A server TLS block whose handshake comes before the server's INFO
	 * ({@code handshake_first}, nats-server 2.10+).
	 */
	String serverTlsFirst(String cert) {
		return serverTls(cert, false).replace("\n}\n", "\n  handshake_first: true\n}\n");
	}

	private void run(String... command) {
		List<String> args = new ArrayList<>(List.of(command));
		try {
			Process process = new ProcessBuilder(args).directory(this.dir.toFile()).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", args) + " failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void delete(Path dir) {
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
		catch (IOException ex) {
			// Temp files left behind are harmless.
		}
	}

}
