package dev.natsbus.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SubjectsTests {

	@ParameterizedTest
	@ValueSource(strings = { "orders", "orders.created", "_INBOX.abc.1", "a-b.c_d.$SRV", "caf\u00e9.menu" })
	void publishableSubjects(String subject) {
		assertThat(Subjects.requirePublishable(subject)).isEqualTo(subject);
	}

	@ParameterizedTest
	@ValueSource(strings = { "orders.*", "orders.>", "*", ">", "a.*.b" })
	void wildcardsCanBeSubscribedButNotPublished(String subject) {
		assertThat(Subjects.requireSubscribable(subject)).isEqualTo(subject);
		assertThatIllegalArgumentException().isThrownBy(() -> Subjects.requirePublishable(subject))
			.withMessageContaining("wildcards");
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "a.>.b", "a.b*", "a.>x", "*a", "a..b", ".a", "a.", "a b", "a\tb", "a\u0001b", "a\u2003b", "" })
	void invalidEverywhere(String subject) {
		assertThatIllegalArgumentException().isThrownBy(() -> Subjects.requireSubscribable(subject));
	}

	@Test
	void nullSubject() {
		assertThatIllegalArgumentException().isThrownBy(() -> Subjects.requirePublishable(null))
			.withMessage("Subject must not be empty");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "a b", "q.*", ">" })
	void invalidQueueNames(String queue) {
		assertThatIllegalArgumentException().isThrownBy(() -> Subjects.requireQueueName(queue));
	}

	@ParameterizedTest
	@ValueSource(strings = { "_INBOX.abcdefghijklmnopqrstuv.1234", "reply", "a.b-c.$d" })
	void replySubjectsThatCanBeAnswered(String subject) {
		assertThat(Subjects.isReplySubject(subject)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "_INBOX.*", "_INBOX.>", "a.b*", ".a", "a.", "a..b" })
	void replySubjectsThatCannotBeAnswered(String subject) {
		assertThat(Subjects.isReplySubject(subject)).isFalse();
		assertThat(Subjects.isReplySubject(null)).isFalse();
	}

}
