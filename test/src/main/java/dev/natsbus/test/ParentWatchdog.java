package dev.natsbus.test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny shell process that kills one nats-server when the JVM that started it is gone,
 * however it went: the shell blocks reading a pipe whose only writer is this JVM, and the
 * kernel closes that pipe when the JVM dies, even of SIGKILL. A JVM that stops the server
 * on purpose writes a line instead, and the shell ends without touching it.
 *
 * <p>
 * Before killing, the shell checks that the PID still runs with this server's config
 * file, so a PID the system handed on meanwhile is left alone. Where there is no
 * {@code /bin/sh} (Windows) only the shutdown hook of {@link ProcessReaper} remains.
 */
final class ParentWatchdog {

	private static final Path SHELL = Path.of("/bin/sh");

	private static final String SCRIPT = """
			if read -r _; then exit 0; fi
			if command -v ps >/dev/null 2>&1; then
			  case "$(ps -o args= -p "$1" 2>/dev/null)" in *"$2"*) ;; *) exit 0 ;; esac
			fi
			kill -KILL "$1" 2>/dev/null
			""";

	private static final ParentWatchdog NONE = new ParentWatchdog(null);

	private final Process shell;

	private ParentWatchdog(Process shell) {
		this.shell = shell;
	}

	/**
	 * Watches {@code server}, started with {@code configFile}; a watchdog that cannot
	 * start leaves the shutdown hook as the only guard.
	 */
	static ParentWatchdog watch(ProcessHandle server, Path configFile) {
		if (!Files.isExecutable(SHELL)) {
			return NONE;
		}
		try {
			Process shell = new ProcessBuilder(SHELL.toString(), "-c", SCRIPT, "nats-server-watchdog",
					Long.toString(server.pid()), configFile.toString())
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			return new ParentWatchdog(shell);
		}
		catch (IOException ex) {
			// The shutdown hook still covers the ordinary exits.
			return NONE;
		}
	}

	/** Ends the watchdog without killing the server. */
	void disarm() {
		if (this.shell == null) {
			return;
		}
		try (OutputStream stdin = this.shell.getOutputStream()) {
			stdin.write("stopped\n".getBytes(StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			// Already gone: nothing to disarm.
		}
	}

}
