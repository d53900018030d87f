package dev.natsbus.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A subject with {@code {name}} tokens, such as {@code quotes.{region}.list}: the caller
 * fills each token with a value ({@link #expand}), the listener subscribes with a
 * {@code *} in its place ({@link #subscription()}) and reads the value back from the
 * subject a message came on ({@link #variable}). A variable is a whole token, and a value
 * must be one too: not empty, without {@code .}, wildcards or whitespace.
 */
public final class SubjectTemplate {

	private final String template;

	private final String[] tokens;

	/** For each token, the variable's name, or {@code null} for a literal token. */
	private final @Nullable String[] variables;

	private final List<String> variableNames;

	private final String subscription;

	private SubjectTemplate(String template, String[] tokens, @Nullable String[] variables, List<String> variableNames,
			String subscription) {
		this.template = template;
		this.tokens = tokens;
		this.variables = variables;
		this.variableNames = variableNames;
		this.subscription = subscription;
	}

	/**
	 * Parses {@code template}.
	 * @throws IllegalArgumentException when it is not a publishable subject once each
	 * variable is filled, a variable is not a whole token or has no name, or a name
	 * repeats
	 */
	public static SubjectTemplate parse(@Nullable String template) {
		if (template == null || template.isEmpty()) {
			throw new IllegalArgumentException("Subject must not be empty");
		}
		String[] tokens = template.split("\\.", -1);
		@Nullable String[] variables = new String[tokens.length];
		List<String> names = new ArrayList<>();
		StringBuilder subscription = new StringBuilder(template.length());
		for (int i = 0; i < tokens.length; i++) {
			String token = tokens[i];
			if (token.startsWith("{") && token.endsWith("}") && token.length() >= 2) {
				String name = token.substring(1, token.length() - 1).trim();
				if (name.isEmpty() || name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
					throw invalid(template, "'" + token + "' is not a variable: write {name}");
				}
				if (names.contains(name)) {
					throw invalid(template, "the variable {" + name + "} appears twice");
				}
				variables[i] = name;
				names.add(name);
				token = "*";
			}
			else if (token.indexOf('{') >= 0 || token.indexOf('}') >= 0) {
				throw invalid(template,
						"a variable must be a whole token, as in 'quotes.{region}.list', not '" + token + "'");
			}
			if (i > 0) {
				subscription.append('.');
			}
			subscription.append(token);
		}
		// The literal tokens must be publishable: check the subject with each variable
		// filled.
		StringBuilder filled = new StringBuilder(template.length());
		for (int i = 0; i < tokens.length; i++) {
			filled.append((i > 0) ? "." : "").append((variables[i] != null) ? "x" : tokens[i]);
		}
		String subject = filled.toString();
		try {
			Subjects.requirePublishable(subject);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(String.valueOf(ex.getMessage()).replace(subject, template), ex);
		}
		return new SubjectTemplate(template, tokens, variables, Collections.unmodifiableList(names),
				subscription.toString());
	}

	/** The template as declared (placeholders resolved). */
	public String getTemplate() {
		return this.template;
	}

	/** The names of the variables, in the order they appear. */
	public List<String> getVariableNames() {
		return this.variableNames;
	}

	/** Whether it has no variable, so that it is the subject itself. */
	public boolean isLiteral() {
		return this.variableNames.isEmpty();
	}

	/** The subject to subscribe to: the template with {@code *} for each variable. */
	public String subscription() {
		return this.subscription;
	}

	/**
	 * The subject with each variable filled from {@code values}, in the order of
	 * {@link #getVariableNames()}.
	 * @throws IllegalArgumentException when a value is {@code null} or is not a single
	 * token (empty, or with {@code .}, {@code *}, {@code >} or whitespace)
	 */
	public String expand(@Nullable Object... values) {
		if (this.variableNames.isEmpty()) {
			return this.template;
		}
		StringBuilder subject = new StringBuilder(this.template.length() + 16);
		int next = 0;
		for (int i = 0; i < this.tokens.length; i++) {
			if (i > 0) {
				subject.append('.');
			}
			String name = this.variables[i];
			subject.append((name != null) ? token(name, values[next++]) : this.tokens[i]);
		}
		return subject.toString();
	}

	private String token(String name, @Nullable Object value) {
		if (value == null) {
			throw new IllegalArgumentException(
					"Subject variable {" + name + "} of '" + this.template + "' must not be null");
		}
		String token = value.toString();
		if (token.isEmpty()) {
			throw new IllegalArgumentException(
					"Subject variable {" + name + "} of '" + this.template + "' must not be empty");
		}
		for (int i = 0; i < token.length(); i++) {
			char c = token.charAt(i);
			if (c == '.' || c == '*' || c == '>' || c <= ' ' || Character.isWhitespace(c)) {
				throw new IllegalArgumentException("Subject variable {" + name + "} of '" + this.template
						+ "' must be a single token, without '.', '*', '>' or whitespace: '" + token + "'");
			}
		}
		return token;
	}

	/**
	 * The value of the variable {@code name} in {@code subject}, a subject that matches
	 * the {@link #subscription()}; {@code null} when it has no such token.
	 * @throws IllegalArgumentException when the template has no variable {@code name}
	 */
	public @Nullable String variable(String subject, String name) {
		int index = indexOf(name);
		int start = 0;
		for (int i = 0; i < index; i++) {
			start = subject.indexOf('.', start) + 1;
			if (start == 0) {
				return null;
			}
		}
		int end = subject.indexOf('.', start);
		return subject.substring(start, (end >= 0) ? end : subject.length());
	}

	private int indexOf(String name) {
		for (int i = 0; i < this.variables.length; i++) {
			if (name.equals(this.variables[i])) {
				return i;
			}
		}
		throw new IllegalArgumentException("'" + this.template + "' has no variable {" + name + "}");
	}

	private static IllegalArgumentException invalid(String template, @Nullable String why) {
		return new IllegalArgumentException("Invalid subject '" + template + "': " + why);
	}

	@Override
	public String toString() {
		return this.template;
	}

}
