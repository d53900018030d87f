package dev.natsbus.reliability;

import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Main class of a {@link ChildJvm}: starts one application per argument of the form
 * {@code <servers>|<source class>|<property>,<property>...} with
 * {@link ReliabilityApps#start}, prints {@value ChildJvm#READY}, and runs until its
 * standard input closes.
 */
public final class ChildApplications {

	private ChildApplications() {
	}

	public static void main(String[] args) throws Exception {
		List<ConfigurableApplicationContext> apps = new ArrayList<>();
		for (String app : args) {
			String[] parts = app.split("\\|", -1);
			Class<?> source = Class.forName(parts[1]);
			String[] properties = parts[2].isEmpty() ? new String[0] : parts[2].split(",");
			apps.add(ReliabilityApps.start(parts[0], source, properties));
		}
		System.out.println(ChildJvm.READY);
		System.out.flush();
		while (System.in.read() >= 0) {
			// Runs until the parent goes away.
		}
		apps.forEach(ConfigurableApplicationContext::close);
	}

	/** The argument that starts one application. */
	static String app(String servers, Class<?> source, String... properties) {
		return servers + "|" + source.getName() + "|" + String.join(",", properties);
	}

}
