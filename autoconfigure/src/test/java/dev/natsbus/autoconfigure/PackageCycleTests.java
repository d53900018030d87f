package dev.natsbus.autoconfigure;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import dev.natsbus.BusOperations;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package structure of the core and auto-configuration classes, as the JDK's
 * {@code jdeps -verbose:package} reports it: no cycle between {@code dev.natsbus}
 * packages, and a root package that is API only.
 */
class PackageCycleTests {

	private static final Pattern EDGE = Pattern
		.compile("^\\s+(dev\\.natsbus[\\w.]*)\\s+->\\s+(dev\\.natsbus[\\w.]*)\\s");

	private static final Map<String, Set<String>> imports = new TreeMap<>();

	@BeforeAll
	static void readDependencies() throws Exception {
		for (Class<?> type : List.of(BusOperations.class, NatsBusAutoConfiguration.class)) {
			Path classes = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
			for (String line : jdeps(classes).split("\\R")) {
				Matcher edge = EDGE.matcher(line);
				if (edge.find() && !edge.group(1).equals(edge.group(2))) {
					imports.computeIfAbsent(edge.group(1), (name) -> new TreeSet<>()).add(edge.group(2));
				}
			}
		}
		assertThat(imports).as("package dependencies read by jdeps")
			.containsKeys("dev.natsbus.template", "dev.natsbus.listener", "dev.natsbus.autoconfigure");
	}

	@Test
	void noCycleBetweenPackages() {
		assertThat(cycles()).as("package cycles").isEmpty();
	}

	@Test
	void theRootPackageIsApiOnly() {
		assertThat(imports.getOrDefault("dev.natsbus", Set.of())).as("what dev.natsbus imports").isEmpty();
	}

	@Test
	void discoveryDependsOnListenersNeverTheReverse() {
		assertThat(imports.get("dev.natsbus.micro")).contains("dev.natsbus.listener");
		assertThat(imports.get("dev.natsbus.listener")).doesNotContain("dev.natsbus.micro");
		assertThat(imports.get("dev.natsbus.listener.adapter")).doesNotContain("dev.natsbus.micro",
				"dev.natsbus.listener");
	}

	@Test
	void clientsAndListenersShareTheContractNeverEachOther() {
		assertThat(imports.get("dev.natsbus.contract")).doesNotContain("dev.natsbus.client", "dev.natsbus.listener",
				"dev.natsbus.listener.adapter", "dev.natsbus.template");
		assertThat(imports.get("dev.natsbus.client")).contains("dev.natsbus.contract")
			.doesNotContain("dev.natsbus.listener", "dev.natsbus.listener.adapter", "dev.natsbus.template");
		assertThat(imports.get("dev.natsbus.listener")).contains("dev.natsbus.contract")
			.doesNotContain("dev.natsbus.client");
		assertThat(imports.get("dev.natsbus.listener.adapter")).doesNotContain("dev.natsbus.client",
				"dev.natsbus.contract");
	}

	/** Every group of packages that import each other, found with Tarjan's algorithm. */
	private static List<Set<String>> cycles() {
		Tarjan tarjan = new Tarjan();
		imports.keySet().forEach(tarjan::visitIfNew);
		return tarjan.components.stream().filter((component) -> component.size() > 1).toList();
	}

	private static String jdeps(Path classes) throws URISyntaxException {
		ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int exit = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-e", "dev\\.natsbus.*",
				classes.toString());
		assertThat(exit).as("jdeps on %s: %s", classes, err).isZero();
		return out.toString();
	}

	private static final class Tarjan {

		private final Map<String, Integer> index = new TreeMap<>();

		private final Map<String, Integer> lowLink = new TreeMap<>();

		private final List<String> stack = new ArrayList<>();

		private final List<Set<String>> components = new ArrayList<>();

		void visitIfNew(String node) {
			if (!this.index.containsKey(node)) {
				visit(node);
			}
		}

		private void visit(String node) {
			this.index.put(node, this.index.size());
			this.lowLink.put(node, this.index.get(node));
			this.stack.add(node);
			for (String next : imports.getOrDefault(node, Set.of())) {
				if (!this.index.containsKey(next)) {
					visit(next);
					this.lowLink.put(node, Math.min(this.lowLink.get(node), this.lowLink.get(next)));
				}
				else if (this.stack.contains(next)) {
					this.lowLink.put(node, Math.min(this.lowLink.get(node), this.index.get(next)));
				}
			}
			if (this.lowLink.get(node).equals(this.index.get(node))) {
				Set<String> component = new TreeSet<>();
				String member;
				do {
					member = this.stack.remove(this.stack.size() - 1);
					component.add(member);
				}
				while (!member.equals(node));
				this.components.add(component);
			}
		}

	}

}
