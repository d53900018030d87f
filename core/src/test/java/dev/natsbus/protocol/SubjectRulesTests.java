package dev.natsbus.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The edges of the subject and queue group rules: characters at the first position, valid
 * queue groups, and why each invalid subject is refused.
 */
class SubjectRulesTests {

	@ParameterizedTest
	@ValueSource(strings = { "q", "orders-workers", "a.b_c", "$G", "caf\u00e9" })
	void validQueueGroupsAreReturnedAsGiven(String queue) {
		assertThat(Subjects.requireQueueName(queue)).isEqualTo(queue);
	}

	@Test
	void nullQueueGroupIsRefusedAsEmpty() {
		assertThatIllegalArgumentException().isThrownBy(() -> Subjects.requireQueueName(null))
			.withMessage("Queue group must not be empty");
	}

	@ParameterizedTest
	@ValueSource(strings = { "*", ">", " q", "q*", "q>", "q\tx", "q\u2003x" })
	void queueGroupsWithWildcardsOrWhitespaceAnywhereAreRefused(String queue) {
		assertThatIllegalArgumentException().isThrownBy(() -> Subjects.requireQueueName(queue))
			.withMessageContaining("Invalid queue group '" + queue + "'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "*", "*.a", ">", ">.a", "a*", "a>" })
	void replySubjectsWithAWildcardAtAnyPositionCannotBeAnswered(String subject) {
		assertThat(Subjects.isReplySubject(subject)).isFalse();
	}

	@Test
	void eachInvalidSubjectSaysWhy() {
		assertThatIllegalArgumentException().isThrownBy(() -> Subjects.requirePublishable("a..b"))
			.withMessage("Invalid subject 'a..b': it must not have an empty token (a leading, trailing or double '.')");
		assertThatIllegalArgumentException().isThrownBy(() -> Subjects.requirePublishable("a."))
			.withMessageContaining("empty token");
		assertThatIllegalArgumentException().isThrownBy(() -> Subjects.requirePublishable("a b"))
			.withMessage("Invalid subject 'a b': it must not contain whitespace or control characters");
		assertThatIllegalArgumentException().isThrownBy(() -> Subjects.requirePublishable("a.b*"))
			.withMessage("Invalid subject 'a.b*': '*' and '>' must stand as whole tokens");
		assertThatIllegalArgumentException().isThrownBy(() -> Subjects.requirePublishable("a.*"))
			.withMessage("Invalid subject 'a.*': wildcards '*' and '>' cannot be published to");
		assertThatIllegalArgumentException().isThrownBy(() -> Subjects.requireSubscribable("a.>.b"))
			.withMessage("Invalid subject 'a.>.b': '>' must be the last token");
	}

	@Test
	void aWildcardFollowedByMoreOfItsTokenIsNotAWholeToken() {
		assertThatIllegalArgumentException().isThrownBy(() -> Subjects.requireSubscribable("*a.b"))
			.withMessageContaining("whole tokens");
		assertThatIllegalArgumentException().isThrownBy(() -> Subjects.requireSubscribable("a.*b"))
			.withMessageContaining("whole tokens");
		assertThat(Subjects.requireSubscribable("*.>")).isEqualTo("*.>");
	}

	@Test
	void spaceAndControlCharactersAreRefusedButOtherAsciiIsNot() {
		assertThatIllegalArgumentException().isThrownBy(() -> Subjects.requirePublishable(" "));
		assertThatIllegalArgumentException().isThrownBy(() -> Subjects.requirePublishable("a\u0000"));
		assertThat(Subjects.requirePublishable("!#~")).isEqualTo("!#~");
		assertThat(Subjects.requirePublishable("\u0080a")).isEqualTo("\u0080a");
	}

}
