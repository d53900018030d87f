package dev.natsbus.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SubjectTemplateTests {

	@Test
	void literalSubject() {
		SubjectTemplate template = SubjectTemplate.parse("quotes.get");
		assertThat(template.isLiteral()).isTrue();
		assertThat(template.subscription()).isEqualTo("quotes.get");
		assertThat(template.expand()).isEqualTo("quotes.get");
	}

	@Test
	void variablesExpandSubscribeAndReadBack() {
		SubjectTemplate template = SubjectTemplate.parse("quotes.{region}.{kind}.list");
		assertThat(template.getVariableNames()).containsExactly("region", "kind");
		assertThat(template.subscription()).isEqualTo("quotes.*.*.list");
		assertThat(template.expand("eu", 7)).isEqualTo("quotes.eu.7.list");
		assertThat(template.variable("quotes.eu.7.list", "region")).isEqualTo("eu");
		assertThat(template.variable("quotes.eu.7.list", "kind")).isEqualTo("7");
	}

	@Test
	void variableAsTheFirstAndTheLastToken() {
		SubjectTemplate template = SubjectTemplate.parse("{tenant}.orders.{id}");
		assertThat(template.subscription()).isEqualTo("*.orders.*");
		assertThat(template.variable("acme.orders.42", "tenant")).isEqualTo("acme");
		assertThat(template.variable("acme.orders.42", "id")).isEqualTo("42");
	}

	@Test
	void valuesThatAreNotOneTokenAreRefused() {
		SubjectTemplate template = SubjectTemplate.parse("quotes.{region}.list");
		for (String bad : new String[] { "", "e.u", "*", ">", "a>", "e u", "\t", "e\u2003u" }) {
			assertThatIllegalArgumentException().as("'%s'", bad)
				.isThrownBy(() -> template.expand(bad))
				.withMessageStartingWith("Subject variable {region} of 'quotes.{region}.list' must");
		}
		assertThatIllegalArgumentException().isThrownBy(() -> template.expand((Object) null))
			.withMessageContaining("must not be null");
	}

	@Test
	void invalidTemplatesAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> SubjectTemplate.parse("quotes.eu-{region}"))
			.withMessageContaining("a variable must be a whole token");
		assertThatIllegalArgumentException().isThrownBy(() -> SubjectTemplate.parse("quotes.{}.list"))
			.withMessageContaining("is not a variable");
		assertThatIllegalArgumentException().isThrownBy(() -> SubjectTemplate.parse("quotes.{a}.{a}"))
			.withMessageContaining("appears twice");
		assertThatIllegalArgumentException().isThrownBy(() -> SubjectTemplate.parse("quotes..{a}"))
			.withMessage(
					"Invalid subject 'quotes..{a}': it must not have an empty token (a leading, trailing or double '.')");
		assertThatIllegalArgumentException().isThrownBy(() -> SubjectTemplate.parse("quotes.>"))
			.withMessageContaining("cannot be published to");
		assertThatIllegalArgumentException().isThrownBy(() -> SubjectTemplate.parse(""))
			.withMessage("Subject must not be empty");
	}

}
