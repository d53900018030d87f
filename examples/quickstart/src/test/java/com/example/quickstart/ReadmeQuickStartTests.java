package com.example.quickstart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the Quick start of the repository's README equal to this project: every file
 * shown there (a bold {@code `path`} line, then the code block) is this project's file of
 * that path, character for character, and every file of this project is shown, except
 * this test. Not part of the Quick start: leave it out when copying the project.
 */
class ReadmeQuickStartTests {

	private static final Path PROJECT = Path.of("").toAbsolutePath();

	private static final Pattern FILE_BLOCK = Pattern.compile("\\*\\*`([^`]+)`\\*\\*\\n+```[a-z]*\\n(.*?)\\n```",
			Pattern.DOTALL);

	@Test
	void quickStartShowsEveryFileOfThisProjectAsItIs() throws IOException {
		Map<String, String> shown = filesShownInTheQuickStart();
		assertThat(shown).as("files shown in the README's Quick start").isNotEmpty();
		for (Map.Entry<String, String> file : shown.entrySet()) {
			assertThat(file.getValue()).as("README's %s", file.getKey()).isEqualTo(read(file.getKey()));
		}
		assertThat(shown.keySet()).containsExactlyInAnyOrderElementsOf(filesOfThisProject());
	}

	private static Map<String, String> filesShownInTheQuickStart() throws IOException {
		String readme = Files.readString(PROJECT.resolve("../../README.md"), StandardCharsets.UTF_8);
		int start = readme.indexOf("\n## Quick start\n");
		assertThat(start).as("the README's Quick start section").isNotNegative();
		int end = readme.indexOf("\n## ", start + 1);
		Matcher block = FILE_BLOCK.matcher(readme.substring(start, (end > 0) ? end : readme.length()));
		Map<String, String> shown = new LinkedHashMap<>();
		while (block.find()) {
			assertThat(shown.put(block.group(1), block.group(2))).as("%s shown twice", block.group(1)).isNull();
		}
		return shown;
	}

	private static String read(String path) throws IOException {
		String content = Files.readString(PROJECT.resolve(path), StandardCharsets.UTF_8);
		return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
	}

	private static List<String> filesOfThisProject() throws IOException {
		String self = "src/test/java/" + ReadmeQuickStartTests.class.getName().replace('.', '/') + ".java";
		List<String> files = new ArrayList<>(List.of("pom.xml"));
		try (Stream<Path> sources = Files.walk(PROJECT.resolve("src"))) {
			sources.filter(Files::isRegularFile)
				.map(file -> PROJECT.relativize(file).toString().replace('\\', '/'))
				.filter(file -> !file.equals(self))
				.forEach(files::add);
		}
		return files;
	}

}
