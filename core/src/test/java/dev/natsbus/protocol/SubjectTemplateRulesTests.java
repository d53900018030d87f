package dev.natsbus.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The edges of subject templates: braces at the first position of a token, the shortest
 * templates, and asking for a variable the template does not have.
 */
class SubjectTemplateRulesTests {

	@Test
	void aTemplateWithAVariableIsNotLiteral() {
		SubjectTemplate template = SubjectTemplate.parse("quotes.{region}");
		assertThat(template.isLiteral()).isFalse();
		assertThat(template.getTemplate()).isEqualTo("quotes.{region}");
		assertThat(template).hasToString("quotes.{region}");
	}

	@Test
	void emptyBracesAreNotAVariable() {
		assertThatIllegalArgumentException().isThrownBy(() -> SubjectTemplate.parse("quotes.{}"))
			.withMessage("Invalid subject 'quotes.{}': '{}' is not a variable: write {name}");
	}

	@Test
	void nestedBracesAreNotAVariableName() {
		assertThatIllegalArgumentException().isThrownBy(() -> SubjectTemplate.parse("quotes.{{a}}"))
			.withMessageContaining("is not a variable");
		assertThatIllegalArgumentException().isThrownBy(() -> SubjectTemplate.parse("quotes.{}a}"))
			.withMessageContaining("is not a variable");
	}

	@Test
	void aBraceAtTheStartOrEndOfALiteralTokenIsNotAVariable() {
		assertThatIllegalArgumentException().isThrownBy(() -> SubjectTemplate.parse("quotes.{region"))
			.withMessageContaining("a variable must be a whole token");
		assertThatIllegalArgumentException().isThrownBy(() -> SubjectTemplate.parse("quotes.}region"))
			.withMessageContaining("a variable must be a whole token");
	}

	@Test
	void invalidLiteralTokensAreReportedWithTheTemplate() {
		assertThatIllegalArgumentException().isThrownBy(() -> SubjectTemplate.parse("a b.{id}"))
			.withMessage("Invalid subject 'a b.{id}': it must not contain whitespace or control characters");
	}

	@Test
	void shortTemplatesExpand() {
		SubjectTemplate template = SubjectTemplate.parse("{a}.{b}");
		assertThat(template.expand("x", "y")).isEqualTo("x.y");
		assertThat(SubjectTemplate.parse("{a}").expand("value")).isEqualTo("value");
	}

	@Test
	void aSubjectShorterThanTheTemplateHasNoValue() {
		SubjectTemplate template = SubjectTemplate.parse("orders.{tenant}.{id}");
		assertThat(template.variable("orders", "id")).isNull();
		assertThat(template.variable("orders.acme", "tenant")).isEqualTo("acme");
	}

	@Test
	void askingForAnUnknownVariableIsRefused() {
		SubjectTemplate template = SubjectTemplate.parse("orders.{id}");
		assertThatIllegalArgumentException().isThrownBy(() -> template.variable("orders.1", "tenant"))
			.withMessage("'orders.{id}' has no variable {tenant}");
	}

	@Test
	void aValueWithWhitespaceOrControlCharactersIsRefused() {
		SubjectTemplate template = SubjectTemplate.parse("orders.{id}");
		for (String bad : new String[] { "a b", "\u0001", "a\u2003" }) {
			assertThatIllegalArgumentException().as("'%s'", bad)
				.isThrownBy(() -> template.expand(bad))
				.withMessageContaining("must be a single token");
		}
		assertThatIllegalArgumentException().isThrownBy(() -> template.expand(""))
			.withMessage("Subject variable {id} of 'orders.{id}' must not be empty");
	}

}
