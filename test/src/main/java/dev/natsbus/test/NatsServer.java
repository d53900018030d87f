package dev.natsbus.test;

import io.nats.NatsServerRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * One real {@code nats-server} process bound to 127.0.0.1, for tests that need the
 * genuine protocol (reconnects, permissions, clustering) rather than a fake.
 *
 * <p>
 * Ports are chosen when the server is built and kept for its whole life, so
 * {@link #restart()} comes back where clients expect it. Each instance owns a temporary
 * directory holding the generated config file and the server log ({@link #logFile()}); it
 * is deleted on {@link #close()} unless the system property {@value #KEEP_FILES_PROPERTY}
 * is {@code true}.
 *
 * <pre>{@code
 * try (NatsServer server = NatsServer.builder().monitoring().start()) {
 *     Connection nc = Nats.connect(server.url());
 * }
 * }</pre>
 */
public final class NatsServer implements AutoCloseable {

	/** System property naming the nats-server binary to run. */
	public static final String EXECUTABLE_PROPERTY = "natsbus.test.nats-server";

	/**
	 * Environment variable naming the nats-server binary, consulted after the system
	 * property.
	 */
	public static final String EXECUTABLE_ENV = "NATS_SERVER_PATH";

	/**
	 * Set to {@code true} to keep config and log files after {@link #close()} for
	 * post-mortem debugging.
	 */
	public static final String KEEP_FILES_PROPERTY = "natsbus.test.keep-files";

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration PID_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * Only auto-chosen ports are retried: another process may grab one between choosing
	 * and binding.
	 */
	private static final int AUTO_PORT_ATTEMPTS = 3;

	private static final int LOG_TAIL_LINES = 30;

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(5);

	private static final String READY_MARKER = "Server is ready";

	/**
	 * jnats-server-runner's console output goes here, at the level given to the builder.
	 */
	private static final Logger RUNNER_LOGGER = Logger.getLogger(NatsServer.class.getName() + ".runner");

	private final Path executableOverride;

	private final boolean autoPorts;

	private final boolean monitoring;

	private final boolean acceptsLeafNodes;

	private final String configText;

	private final Level runnerOutputLevel;

	private final Path workDir;

	private int port;

	private int monitoringPort;

	private final int leafNodePort;

	private boolean frozen;

	private boolean startedOnce;

	private boolean closed;

	private NatsServerRunner runner;

	private ProcessHandle process;

	private NatsServer(Builder builder) {
		this.executableOverride = builder.executable;
		this.autoPorts = builder.port == null;
		this.port = autoPorts ? Ports.free() : builder.port;
		this.acceptsLeafNodes = builder.acceptLeafNodes;
		this.monitoring = builder.monitoring || builder.acceptLeafNodes || !builder.leafNodeRemotes.isEmpty();
		this.monitoringPort = monitoring ? Ports.free() : -1;
		this.leafNodePort = acceptsLeafNodes ? Ports.free() : -1;
		this.configText = renderConfig(builder, leafNodePort);
		this.runnerOutputLevel = builder.runnerOutputLevel;
		try {
			this.workDir = Files.createTempDirectory("natsbus-nats-server-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a work directory for nats-server", ex);
		}
	}

	/** Starts describing a server; nothing runs until {@link #start()}. */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Launches the process and returns once it accepts client connections. Does nothing
	 * when already running.
	 * @throws IllegalStateException if the binary is missing, the config is invalid
	 * (checked with {@code nats-server -t} first) or the server did not come up (the
	 * message carries the tail of the server log)
	 */
	public synchronized NatsServer start() {
		if (closed) {
			throw new IllegalStateException("NatsServer is closed: " + this);
		}
		if (isRunning()) {
			return this;
		}
		releaseExited();
		Path executable = ServerExecutable.resolve(executableOverride);
		writeConfig();
		ConfigCheck.verify(executable, configFile());
		int attempts = (autoPorts && !startedOnce) ? AUTO_PORT_ATTEMPTS : 1;
		for (int attempt = 1;; attempt++) {
			try {
				launch(executable);
				startedOnce = true;
				return this;
			}
			catch (IllegalStateException ex) {
				killLeftover();
				if (attempt >= attempts || !isPortConflict(ex)) {
					throw ex;
				}
				port = Ports.free();
				if (monitoring) {
					monitoringPort = Ports.free();
				}
			}
		}
	}

	/**
	 * Terminates the process with SIGTERM, a clean shutdown (forcibly if it does not exit
	 * in time), and returns once the client port no longer accepts connections, so a test
	 * can rely on clients seeing the outage. A frozen server is thawed first.
	 * @see #kill()
	 */
	public synchronized void stop() {
		if (runner == null && process == null) {
			return;
		}
		if (frozen) {
			thaw();
		}
		try {
			if (process != null) {
				process.destroy();
				if (!awaitExit(process)) {
					process.destroyForcibly();
					awaitExit(process);
				}
				ProcessReaper.unregister(process);
			}
			if (runner != null) {
				runner.shutdown(true);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while stopping " + this, ex);
		}
		finally {
			runner = null;
			process = null;
			frozen = false;
		}
		awaitPortClosed("stopping");
	}

	/**
	 * Kills the process with SIGKILL, a hard fault: no lame duck, nothing flushed, the
	 * kernel resets its sockets. Returns once the process is gone and the client port is
	 * closed. Works on a frozen server too.
	 */
	public synchronized void kill() {
		if (runner == null && process == null) {
			return;
		}
		try {
			if (process != null) {
				process.destroyForcibly();
				if (!awaitExit(process)) {
					throw new IllegalStateException("nats-server " + process.pid() + " survived SIGKILL: " + this);
				}
			}
		}
		finally {
			releaseProcess();
		}
		awaitPortClosed("killing");
	}

	/**
	 * Stops the process with SIGSTOP: it stays alive and its sockets stay open, but it
	 * answers nothing (no PONG, no INFO to new connections, which the kernel still
	 * accepts), like a server stalled by a long GC, swapping or a hung disk. Clients
	 * notice only through their ping timer (after at most
	 * {@code ping-interval × (max-pings-out + 2)}).
	 * @throws IllegalStateException if the server is not running
	 */
	public synchronized void freeze() {
		if (frozen) {
			return;
		}
		signal("STOP");
		frozen = true;
	}

	/** Resumes a {@link #freeze() frozen} server with SIGCONT. */
	public synchronized void thaw() {
		if (!frozen) {
			return;
		}
		if (process != null && process.isAlive()) {
			signal("CONT");
		}
		frozen = false;
	}

	/** Whether the server is {@link #freeze() frozen}. */
	public synchronized boolean isFrozen() {
		return frozen;
	}

	/**
	 * Puts the server into lame duck mode, as an operator does before taking it down
	 * ({@code nats-server --signal ldm=<pid>}): it stops accepting connections at once,
	 * tells its clients (jnats' {@code LAME_DUCK} event), waits the grace period and then
	 * closes the client connections one by one over the lame duck duration (see
	 * {@link Builder#lameDuck(Duration, Duration)}), and exits. Returns once the signal
	 * is delivered; {@link #awaitExit(Duration)} waits for the end.
	 * @throws IllegalStateException if the server is not running or the signal fails
	 */
	public synchronized void lameDuck() {
		long pid = pid();
		Path executable = ServerExecutable.resolve(executableOverride);
		Processes.run(List.of(executable.toString(), "--signal", "ldm=" + pid), "put " + this + " into lame duck mode");
	}

	/**
	 * Waits until the process has exited by itself (after {@link #lameDuck()}, or a
	 * crash).
	 * @return whether it exited within {@code timeout}
	 */
	public boolean awaitExit(Duration timeout) {
		ProcessHandle handle;
		synchronized (this) {
			handle = process;
		}
		if (handle == null) {
			return true;
		}
		return Poll.until(timeout, () -> !handle.isAlive());
	}

	/**
	 * The process id, e.g. to watch it from outside.
	 * @throws IllegalStateException if the server is not running
	 */
	public synchronized long pid() {
		if (process == null || !process.isAlive()) {
			throw new IllegalStateException("nats-server is not running: " + this);
		}
		return process.pid();
	}

	/**
	 * The version of the binary this server runs (asked once per binary with
	 * {@code nats-server --version}), so a test can require one.
	 * @see RequiresNatsServer
	 */
	public NatsServerVersion version() {
		return NatsServerVersion.of(ServerExecutable.resolve(executableOverride));
	}

	/**
	 * URL that leaf nodes connect to, e.g. {@code nats-leaf://127.0.0.1:7422}. Stable
	 * across restarts.
	 * @throws IllegalStateException if the server was built without
	 * {@link Builder#acceptLeafNodes()}
	 */
	public String leafNodeUrl() {
		if (!acceptsLeafNodes) {
			throw new IllegalStateException("This server accepts no leaf nodes; build it with acceptLeafNodes()");
		}
		return "nats-leaf://" + Ports.LOOPBACK + ":" + leafNodePort;
	}

	/**
	 * Leaf node connections the server has now, from {@code /leafz}: on a hub, the leaf
	 * nodes connected to it; on a leaf node, its connections to the hub. {@code 0} when
	 * the server does not answer.
	 */
	public int leafNodeConnections() {
		return Monitoring.get(monitoringUrl(), "/leafz")
			.flatMap(json -> Monitoring.intField(json, "leafnodes"))
			.orElse(0);
	}

	/**
	 * Waits until the server has at least {@code count} leaf node connections, because
	 * interest does not cross a leaf connection that is not up yet.
	 * @throws IllegalStateException if it does not happen within {@code timeout}
	 */
	public NatsServer awaitLeafNodeConnections(int count, Duration timeout) {
		if (Poll.until(timeout, () -> leafNodeConnections() >= count)) {
			return this;
		}
		throw new IllegalStateException(this + " has " + leafNodeConnections() + " leaf node connections after "
				+ timeout + ", expected " + count + " (log: " + logFile() + ")");
	}

	/**
	 * Stops and starts again on the same client (and monitoring) port, e.g. to exercise
	 * client reconnects.
	 */
	public synchronized NatsServer restart() {
		stop();
		return start();
	}

	/** Whether the process is alive; turns false if the server dies on its own. */
	public synchronized boolean isRunning() {
		if (process != null) {
			return process.isAlive();
		}
		return runner != null;
	}

	/** Client URL, e.g. {@code nats://127.0.0.1:4222}. Stable across restarts. */
	public synchronized String url() {
		return "nats://" + Ports.LOOPBACK + ":" + port;
	}

	/** Client port. Stable across restarts. */
	public synchronized int port() {
		return port;
	}

	/**
	 * Base URL of the HTTP monitoring endpoints ({@code /varz}, {@code /connz},
	 * {@code /routez}, ...).
	 * @throws IllegalStateException if the server was built without
	 * {@link Builder#monitoring()}
	 */
	public synchronized String monitoringUrl() {
		if (!monitoring) {
			throw new IllegalStateException("Monitoring is not enabled; build the server with monitoring()");
		}
		return "http://" + Ports.LOOPBACK + ":" + monitoringPort;
	}

	/** Whether the HTTP monitoring port is enabled. */
	public boolean hasMonitoring() {
		return monitoring;
	}

	/**
	 * The server's own log, appended to across restarts; the first place to look when a
	 * test fails.
	 */
	public Path logFile() {
		return workDir.resolve("nats-server.log");
	}

	/** The generated config file the server runs with. */
	public Path configFile() {
		return workDir.resolve("nats-server.conf");
	}

	/**
	 * Stops the server and removes its work directory; the instance cannot be started
	 * again.
	 */
	@Override
	public synchronized void close() {
		if (closed) {
			return;
		}
		try {
			stop();
		}
		finally {
			closed = true;
			if (!Boolean.getBoolean(KEEP_FILES_PROPERTY)) {
				deleteWorkDir();
			}
		}
	}

	@Override
	public String toString() {
		return "NatsServer[" + url() + (monitoring ? ", monitoring=" + monitoringPort : "") + ", log=" + logFile()
				+ "]";
	}

	private void launch(Path executable) {
		Path pidFile = workDir.resolve("nats-server.pid");
		try {
			Files.deleteIfExists(pidFile);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<String> args = new ArrayList<>(List.of("-a", Ports.LOOPBACK, "-c", configFile().toString(), "-l",
				logFile().toString(), "-P", pidFile.toString()));
		if (monitoring) {
			args.add("-m");
			args.add(Integer.toString(monitoringPort));
		}
		try {
			runner = NatsServerRunner.builder()
				.executablePath(executable)
				.port(port)
				.customArgs(args)
				.outputLogger(RUNNER_LOGGER)
				.outputLevel(runnerOutputLevel)
				.processCheckWait(20L)
				.processCheckTries(10)
				// A plain TCP check: the runner's INFO check waits for the server's first
				// PING (~2 s).
				.connectValidateTlsFirstMode()
				.connectValidateInitialDelay(20L)
				.connectValidateSubsequentDelay(50L)
				.connectValidateTries(100)
				.fullErrorReportOnStartup(true)
				.build();
		}
		catch (IOException | RuntimeException ex) {
			throw startFailure(ex.getMessage(), ex);
		}
		process = readPid(pidFile).flatMap(ProcessHandle::of).orElse(null);
		if (process != null) {
			ProcessReaper.register(process, configFile());
		}
		awaitReady();
	}

	private void signal(String signal) {
		long pid = pid();
		Processes.run(List.of("/bin/sh", "-c", "kill -" + signal + " \"$1\"", "nats-server-signal", Long.toString(pid)),
				"send SIG" + signal + " to " + this);
	}

	/** Forgets a process that has exited by itself (lame duck, crash, kill). */
	private void releaseExited() {
		if (process != null && !process.isAlive()) {
			releaseProcess();
		}
	}

	private void releaseProcess() {
		if (process != null) {
			ProcessReaper.unregister(process);
		}
		if (runner != null) {
			try {
				runner.shutdown(false);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		runner = null;
		process = null;
		frozen = false;
	}

	private void awaitPortClosed(String action) {
		if (!Poll.until(STOP_TIMEOUT, () -> !Ports.isListening(port))) {
			throw new IllegalStateException("Port " + port + " still accepts connections after " + action + " " + this);
		}
	}

	/**
	 * The TCP check alone could be answered by another process that grabbed the port,
	 * while ours is about to exit with "address already in use"; the server's own log
	 * settles it.
	 */
	private void awaitReady() {
		Poll.until(READY_TIMEOUT, () -> !isRunning() || readQuietly(logFile()).contains(READY_MARKER));
		if (!isRunning()) {
			throw startFailure("the process exited during startup", null);
		}
	}

	private IllegalStateException startFailure(String reason, Exception cause) {
		return new IllegalStateException(
				"nats-server did not start on " + url() + ": " + reason + System.lineSeparator() + logTail(), cause);
	}

	/**
	 * A failed start may leave a half-started process behind; the pid file still names
	 * it.
	 */
	private void killLeftover() {
		readPid(workDir.resolve("nats-server.pid")).flatMap(ProcessHandle::of)
			.ifPresent(ProcessHandle::destroyForcibly);
		if (runner != null) {
			try {
				runner.shutdown(false);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		runner = null;
		process = null;
	}

	private Optional<Long> readPid(Path pidFile) {
		Poll.until(PID_TIMEOUT, () -> Files.isRegularFile(pidFile) && readQuietly(pidFile).strip().matches("\\d+"));
		String pid = readQuietly(pidFile).strip();
		return pid.matches("\\d+") ? Optional.of(Long.parseLong(pid)) : Optional.empty();
	}

	private boolean isPortConflict(IllegalStateException ex) {
		String marker = "address already in use";
		return String.valueOf(ex.getMessage()).toLowerCase().contains(marker)
				|| readQuietly(logFile()).toLowerCase().contains(marker);
	}

	private static boolean awaitExit(ProcessHandle handle) {
		try {
			handle.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException | ExecutionException ex) {
			return !handle.isAlive();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return !handle.isAlive();
		}
	}

	private void writeConfig() {
		try {
			Files.writeString(configFile(), configText, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write " + configFile(), ex);
		}
	}

	private String logTail() {
		List<String> lines = readQuietly(logFile()).lines().toList();
		List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
		return "--- last lines of " + logFile() + " ---" + System.lineSeparator()
				+ String.join(System.lineSeparator(), tail);
	}

	private static String readQuietly(Path file) {
		try {
			return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			return "";
		}
	}

	private void deleteWorkDir() {
		try (Stream<Path> paths = Files.walk(workDir)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
		catch (IOException ex) {
			// Leftover temp files are harmless; failing close() over them would hide the
			// real test result.
		}
	}

	private static void closeAfterFailure(AutoCloseable resource, RuntimeException failure) {
		try {
			resource.close();
		}
		catch (Exception ex) {
			failure.addSuppressed(ex);
		}
	}

	private static String renderConfig(Builder builder, int leafNodePort) {
		StringBuilder config = new StringBuilder("# Generated by nats-bus test support\n");
		config.append("host: ").append(Ports.LOOPBACK).append('\n');
		if (builder.name != null) {
			config.append("server_name: \"").append(builder.name).append("\"\n");
		}
		if (builder.maxPayload != null) {
			config.append("max_payload: ").append(builder.maxPayload).append('\n');
		}
		if (builder.lameDuckDuration != null) {
			config.append("lame_duck_duration: \"").append(builder.lameDuckDuration.toMillis()).append("ms\"\n");
			config.append("lame_duck_grace_period: \"").append(builder.lameDuckGracePeriod.toMillis()).append("ms\"\n");
		}
		if (leafNodePort > 0 || !builder.leafNodeRemotes.isEmpty()) {
			config.append("leafnodes {\n");
			if (leafNodePort > 0) {
				config.append("  listen: ").append(Ports.LOOPBACK).append(':').append(leafNodePort).append('\n');
			}
			if (!builder.leafNodeRemotes.isEmpty()) {
				config.append("  remotes: [ { urls: [")
					.append(builder.leafNodeRemotes.stream()
						.map(url -> "\"" + url + "\"")
						.collect(java.util.stream.Collectors.joining(", ")))
					.append("] } ]\n");
			}
			config.append("}\n");
		}
		if (builder.accounts != null) {
			config.append(builder.accounts.toConfig());
		}
		for (String extra : builder.config) {
			config.append(extra).append('\n');
		}
		return config.toString();
	}

	/** Describes a {@link NatsServer}; every option is optional. */
	public static final class Builder {

		private Integer port;

		private boolean monitoring;

		private final List<String> config = new ArrayList<>();

		private Integer maxPayload;

		private Path executable;

		private String name;

		private Level runnerOutputLevel = Level.OFF;

		private boolean acceptLeafNodes;

		private final List<String> leafNodeRemotes = new ArrayList<>();

		private NatsAccounts accounts;

		private Duration lameDuckDuration;

		private Duration lameDuckGracePeriod;

		private Builder() {
		}

		/**
		 * Accepts leaf node connections on a free loopback port ({@link #leafNodeUrl()}),
		 * making this server a hub. Turns monitoring on, to tell when leaf nodes are
		 * connected.
		 */
		public Builder acceptLeafNodes() {
			this.acceptLeafNodes = true;
			return this;
		}

		/**
		 * Makes this server a leaf node of {@code hub} (built with
		 * {@link #acceptLeafNodes()}). Turns monitoring on, see
		 * {@link NatsServer#awaitLeafNodeConnections(int, Duration)}.
		 */
		public Builder leafNodeOf(NatsServer hub) {
			return leafNodeOf(List.of(hub.leafNodeUrl()));
		}

		/**
		 * Makes this server a leaf node of a hub cluster (built with
		 * {@link NatsCluster.Builder#acceptLeafNodes()}); it connects to one of its nodes
		 * and fails over to the others.
		 */
		public Builder leafNodeOf(NatsCluster hub) {
			return leafNodeOf(hub.leafNodeUrls());
		}

		/**
		 * Makes this server a leaf node of the hub servers at {@code leafNodeUrls}
		 * ({@code nats-leaf://host:port}), in the hub's global account.
		 */
		public Builder leafNodeOf(List<String> leafNodeUrls) {
			if (leafNodeUrls == null || leafNodeUrls.isEmpty()) {
				throw new IllegalArgumentException("A leaf node needs at least one hub URL");
			}
			this.leafNodeRemotes.addAll(leafNodeUrls);
			return this;
		}

		/**
		 * Accounts with their users, service exports and imports, see
		 * {@link NatsAccounts}.
		 */
		public Builder accounts(NatsAccounts accounts) {
			this.accounts = accounts;
			return this;
		}

		/**
		 * How {@link NatsServer#lameDuck() lame duck mode} runs: the server waits
		 * {@code gracePeriod} after telling its clients, then closes their connections
		 * spread over the rest of {@code duration} (at most one a second) and exits.
		 * nats-server requires a duration of at least 30 s; the default is 2 min with a
		 * grace period of 10 s.
		 */
		public Builder lameDuck(Duration duration, Duration gracePeriod) {
			if (duration == null || duration.compareTo(Duration.ofSeconds(30)) < 0) {
				throw new IllegalArgumentException(
						"nats-server needs a lame duck duration of at least 30 s: " + duration);
			}
			if (gracePeriod == null || gracePeriod.isNegative() || gracePeriod.compareTo(duration) >= 0) {
				throw new IllegalArgumentException(
						"The lame duck grace period must be shorter than the duration: " + gracePeriod);
			}
			this.lameDuckDuration = duration;
			this.lameDuckGracePeriod = gracePeriod;
			return this;
		}

		/**
		 * Fixed client port instead of a free one (e.g. to start a server where a client
		 * already points).
		 */
		public Builder port(int port) {
			if (port < 1 || port > 65535) {
				throw new IllegalArgumentException("port must be 1..65535: " + port);
			}
			this.port = port;
			return this;
		}

		/**
		 * Enables the HTTP monitoring port (on a free port), so tests can inspect
		 * {@code /connz}, {@code /varz}.
		 */
		public Builder monitoring() {
			return monitoring(true);
		}

		/** Enables or disables the HTTP monitoring port. */
		public Builder monitoring(boolean enabled) {
			this.monitoring = enabled;
			return this;
		}

		/**
		 * Extra nats-server config text (authorization, TLS, accounts, ...), appended to
		 * the generated file; may be called repeatedly. Client port and bind address are
		 * passed on the command line and therefore win over {@code port}/{@code host}
		 * given here.
		 */
		public Builder config(String text) {
			if (text != null && !text.isBlank()) {
				config.add(text);
			}
			return this;
		}

		/** Maximum message payload in bytes the server accepts (server default: 1 MB). */
		public Builder maxPayload(int bytes) {
			if (bytes <= 0) {
				throw new IllegalArgumentException("maxPayload must be positive: " + bytes);
			}
			this.maxPayload = bytes;
			return this;
		}

		/**
		 * Binary to run, overriding the system property, the environment variable and
		 * PATH.
		 */
		public Builder executable(Path executable) {
			this.executable = executable;
			return this;
		}

		/**
		 * Server name, shown in logs and monitoring; useful to tell cluster nodes apart.
		 */
		public Builder name(String name) {
			if (name != null && !name.matches("[A-Za-z0-9_.-]+")) {
				throw new IllegalArgumentException("name may only contain letters, digits, '_', '.', '-': " + name);
			}
			this.name = name;
			return this;
		}

		/**
		 * java.util.logging level of jnats-server-runner's own output (logger
		 * {@code dev.natsbus.test.NatsServer.runner}), {@code OFF} by default because the
		 * server log file already holds what matters.
		 */
		public Builder runnerOutputLevel(Level level) {
			this.runnerOutputLevel = level == null ? Level.OFF : level;
			return this;
		}

		/** Creates the server without starting it; ports are chosen here. */
		public NatsServer build() {
			return new NatsServer(this);
		}

		/**
		 * Builds and starts; a server that fails to start is closed so no files or
		 * processes leak.
		 */
		public NatsServer start() {
			NatsServer server = build();
			try {
				return server.start();
			}
			catch (RuntimeException ex) {
				closeAfterFailure(server, ex);
				throw ex;
			}
		}

	}

}
